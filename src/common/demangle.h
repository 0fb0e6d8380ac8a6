/* C++ names as heapsnap writes them: demangled by libstdc++'s demangler, whichever the
   mangled name is (a symbol "_ZN2ns3fooEv" -> "ns::foo()", a type "N2ns6WidgetE" ->
   "ns::Widget"). */
#ifndef HS_DEMANGLE_H
#define HS_DEMANGLE_H

/* The demangled name (malloc'd), or NULL when name is no mangled name. */
char *hs_demangle(const char *name);

#endif
