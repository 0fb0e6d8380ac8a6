/* HS_UNDER_ASAN is defined in a build under AddressSanitizer: gcc says __SANITIZE_ADDRESS__,
   clang __has_feature(address_sanitizer). */
#ifndef HS_UNDER_ASAN_H
#define HS_UNDER_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define HS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HS_UNDER_ASAN 1
#endif
#endif

#endif
