#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that have a main of their own. SwiftPM points every
/// executable's `main` at its module's entry (`--defsym main=<module>_main`), so libFuzzer's own
/// main is never the one called; it is still linked in, which is why each target also exports
/// `LLVMFuzzerTestOneInput` (with `@_cdecl`) for it to reference.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
