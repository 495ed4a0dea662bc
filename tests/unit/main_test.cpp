// The Boost.Test module: every tests/unit/*_test.cpp links into this one binary.
#define BOOST_TEST_MODULE chorus
#include <boost/test/unit_test.hpp>
