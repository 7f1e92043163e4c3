// IcmpSocket's calls into JavaScript: a received batch (in the staging arrays JavaScript gave
// start(), or fresh ones when it does not fit, with the kernel's drop counter) and receive errors.
#include "icmp_socket.h"

#include <string.h>

#include "batch_layout.h"
#include "system_error.h"

namespace rawping {

// Calls into JavaScript from a libuv callback use the plain C API and check every status:
// while the environment shuts down (process exit, worker termination) libuv may still run
// the poll callback (OnPoll), JavaScript can no longer run, and node-addon-api's wrappers
// would turn the refusal into a fatal error. Then the batch is dropped quietly.
namespace {

void CallBack(napi_env env, napi_ref self_ref, napi_ref fn_ref, size_t argc, const napi_value* argv) {
  napi_value fn = nullptr;
  napi_value self = nullptr;
  if (napi_get_reference_value(env, fn_ref, &fn) != napi_ok || fn == nullptr) return;
  if (self_ref != nullptr) napi_get_reference_value(env, self_ref, &self);
  if (self == nullptr && napi_get_undefined(env, &self) != napi_ok) return;
  napi_value result;
  napi_status status = napi_make_callback(env, nullptr, self, fn, argc, argv, &result);
  if (status == napi_ok) return;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok && status == napi_pending_exception) {
      // The callback threw while JavaScript could run: report it as uncaught, as Node does.
      napi_fatal_exception(env, error);
    }
  }
}

}  // namespace

void IcmpSocket::DeliverBatch() { DeliverBatch(batch_data_, batch_meta_, drop_counter_.load(std::memory_order_relaxed)); }

void IcmpSocket::DeliverBatch(const std::vector<uint8_t>& bytes, const std::vector<double>& records, uint32_t drop_counter) {
  napi_env env = env_;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value data = nullptr;
  napi_value meta = nullptr;
  napi_value count = nullptr;
  bool ok;
  if (!staging_data_.IsEmpty() && bytes.size() <= staging_data_cap_ && records.size() <= staging_meta_cap_) {
    if (!bytes.empty()) memcpy(staging_data_ptr_, bytes.data(), bytes.size());
    memcpy(staging_meta_ptr_, records.data(), records.size() * sizeof(double));
    ok = napi_get_reference_value(env, staging_data_, &data) == napi_ok &&
         napi_get_reference_value(env, staging_meta_, &meta) == napi_ok;
  } else {
    // No staging arrays, or a batch of very large datagrams: fresh arrays for this one.
    void* copy = nullptr;
    void* meta_bytes = nullptr;
    napi_value meta_buffer;
    ok = napi_create_buffer_copy(env, bytes.size(), bytes.data(), &copy, &data) == napi_ok &&
         napi_create_arraybuffer(env, records.size() * sizeof(double), &meta_bytes, &meta_buffer) == napi_ok;
    if (ok) {
      memcpy(meta_bytes, records.data(), records.size() * sizeof(double));
      ok = napi_create_typedarray(env, napi_float64_array, records.size(), meta_buffer, 0, &meta) == napi_ok;
    }
  }
  size_t n = records.size() / kMetaStride;
  napi_value drops = nullptr;
  if (ok && napi_create_double(env, static_cast<double>(n), &count) == napi_ok &&
      napi_create_double(env, static_cast<double>(drop_counter), &drops) == napi_ok) {
    napi_value argv[4] = {data, meta, count, drops};
    // A batch handed over while JavaScript handles this one waits for it: batches reach
    // JavaScript in the order their datagrams came (icmp_socket_receiver.cc).
    delivering_ = true;
    CallBack(env, self_.IsEmpty() ? nullptr : static_cast<napi_ref>(self_), static_cast<napi_ref>(on_batch_), 4, argv);
    delivering_ = false;
  }
  napi_close_handle_scope(env, scope);
}

void IcmpSocket::ReportError(int err, const char* syscall) {
  napi_env env = env_;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value error;
  if (MakeSystemError(env, err, syscall, &error)) {
    napi_value argv[1] = {error};
    CallBack(env, self_.IsEmpty() ? nullptr : static_cast<napi_ref>(self_), static_cast<napi_ref>(on_error_), 1, argv);
  }
  napi_close_handle_scope(env, scope);
}

}  // namespace rawping
