// The Catch2 runner for ksim_tests; RapidCheck properties run inside it
// (rapidcheck/catch.h). Test files sit under tests/, by layer.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
