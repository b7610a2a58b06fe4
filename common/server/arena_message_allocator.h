// A gRPC callback-method message allocator that places each call's request and response on one
// protobuf arena, freed in one step when the call ends: for hot methods whose answers are trees
// of many small messages (a bump allocation per sub-message instead of a malloc and a free).
#ifndef SLIHUB_COMMON_SERVER_ARENA_MESSAGE_ALLOCATOR_H_
#define SLIHUB_COMMON_SERVER_ARENA_MESSAGE_ALLOCATOR_H_

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"

namespace slihub {

// Arena options for large answers (a national rug has ~100,000 sub-messages): blocks grow from
// 16 KiB to 1 MiB.
inline google::protobuf::ArenaOptions LargeMessageArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 << 10;
  options.max_block_size = 1 << 20;
  return options;
}

// One arena per call, made with the options given at construction. Thread-safe; must outlive the
// server it is set on (with the generated SetMessageAllocatorFor_<Method>).
template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  explicit ArenaMessageAllocator(
      google::protobuf::ArenaOptions options = google::protobuf::ArenaOptions())
      : options_(options) {}

  // A new holder for one call; gRPC releases it when the call is done.
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder(options_);
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    explicit Holder(const google::protobuf::ArenaOptions& options) : arena_(options) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };

  const google::protobuf::ArenaOptions options_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_ARENA_MESSAGE_ALLOCATOR_H_
