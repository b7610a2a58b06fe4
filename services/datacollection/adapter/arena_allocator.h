// A gRPC message allocator that places each call's request and response on one protobuf arena, so
// building, copying and freeing a large answer (the national rug has ~100,000 sub-messages) costs
// bump allocations and one release instead of a malloc and free per sub-message.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_ARENA_ALLOCATOR_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_ARENA_ALLOCATOR_H_

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"

namespace slihub::datacollection {

// Arena options for large answers: blocks grow from 16 KiB to 1 MiB.
inline google::protobuf::ArenaOptions LargeMessageArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 << 10;
  options.max_block_size = 1 << 20;
  return options;
}

// Allocates one arena per call; gRPC releases it when the call is done. Thread-safe; must outlive
// the server (set with the generated SetMessageAllocatorFor_<Method>).
template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(LargeMessageArenaOptions()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_ARENA_ALLOCATOR_H_
