# src/image: heap images, a walk's reads recorded to a file and served back as a target
# (fuzzing, replay). Above attach, locate and snapshot, whose types an image joins.
libheapsnap_a_SOURCES += \
	src/image/image.h src/image/image_private.h \
	src/image/image_record.c src/image/image_open.c
