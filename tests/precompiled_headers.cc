// Empty on purpose: ksim_test_main's one source that uses the precompiled
// Catch2 and RapidCheck headers (main.cc cannot: it defines CATCH_CONFIG_MAIN
// before including Catch2), so CMake builds the PCH the test binaries reuse.
