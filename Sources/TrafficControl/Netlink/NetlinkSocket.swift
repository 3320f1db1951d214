import Foundation
internal import CNetlink

#if canImport(Glibc)
    import Glibc
#endif

/// A libnl route socket (`nl_socket_alloc` + `nl_connect(NETLINK_ROUTE)`), freed with the value.
///
/// A socket belongs to the network namespace it was created in; `init(namespace:)` creates it inside a
/// named namespace (`/run/netns/NAME`) without moving the rest of the process there.
final class NetlinkSocket {
    let handle: OpaquePointer

    /// A socket in the caller's network namespace, or in the named one.
    ///
    /// - Parameter family: the netlink family to connect (`NETLINK_ROUTE`; tests pass one the kernel lacks to
    ///   reach the failure path).
    init(namespace: String? = nil, family: Int32 = NETLINK_ROUTE) throws {
        guard let socket = nl_socket_alloc() else {
            throw NetlinkError(operation: "open a netlink socket", result: -NLE_NOMEM)
        }
        // `handle` is assigned only once the socket is connected: a throwing initializer that has not
        // initialized every stored property does not run `deinit`, so the socket is freed exactly once, here.
        let result: Int32
        do {
            let connect = { nl_connect(socket, family) }
            result = try namespace.map { try NetworkNamespace.run(in: $0, connect) } ?? connect()
        } catch {
            nl_socket_free(socket)
            throw error
        }
        guard result >= 0 else {
            nl_socket_free(socket)
            throw NetlinkError(operation: "connect a netlink socket", result: result)
        }
        handle = socket
        // Large dumps (many filters) arrive in bursts; a roomy receive buffer avoids ENOBUFS.
        _ = nl_socket_set_buffer_size(socket, 4 << 20, 4 << 20)
    }

    deinit { nl_socket_free(handle) }

    /// Sends a dump request (`nl_send_simple` with `NLM_F_DUMP`) and hands every reply message to `body`.
    func dump(type: Int32, header: UnsafeRawBufferPointer, operation: String,
              _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) throws {
        let sent = nl_send_simple(handle, type, cnl_flag_dump(), UnsafeMutableRawPointer(mutating: header.baseAddress),
                                  header.count)
        guard sent >= 0 else { throw NetlinkError(operation: operation, result: sent) }
        try receive(operation: operation, body)
    }

    /// Receives until the kernel's reply is complete (`nl_recvmsgs` with a valid-message callback).
    ///
    /// The callback goes on a private clone of the socket's callback set (`nl_cb_clone`), never on the socket
    /// itself: the context points at this call's stack, and a callback left on the socket would be inherited by
    /// later calls (`nl_wait_for_ack` clones the socket's set) after that stack is gone.
    func receive(operation: String, _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) throws {
        guard let shared = nl_socket_get_cb(handle) else {
            throw NetlinkError(operation: operation, result: -NLE_NOMEM)
        }
        let clone = nl_cb_clone(shared)
        nl_cb_put(shared)
        guard let callbacks = clone else { throw NetlinkError(operation: operation, result: -NLE_NOMEM) }
        defer { nl_cb_put(callbacks) }
        try withoutActuallyEscaping(body) { escapable in
            var box = MessageSink(body: escapable)
            try withUnsafeMutablePointer(to: &box) { pointer in
                let callback: nl_recvmsg_msg_cb_t = { message, context in
                    guard let message, let context, let header = nlmsg_hdr(message) else { return Int32(NL_OK.rawValue) }
                    context.assumingMemoryBound(to: MessageSink.self).pointee.body(header)
                    return Int32(NL_OK.rawValue)
                }
                _ = nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, callback, UnsafeMutableRawPointer(pointer))
                let result = nl_recvmsgs(handle, callbacks)
                guard result >= 0 else { throw NetlinkError(operation: operation, result: result) }
            }
        }
    }

    /// Sends `message` (`nl_send_auto`) and waits for the kernel's acknowledgement (`nl_wait_for_ack`).
    func send(_ message: NetlinkRequest, operation: String) throws {
        let sent = nl_send_auto(handle, message.handle)
        guard sent >= 0 else { throw NetlinkError(operation: operation, result: sent) }
        let acknowledged = nl_wait_for_ack(handle)
        guard acknowledged >= 0 else { throw NetlinkError(operation: operation, result: acknowledged) }
    }
}

extension NetlinkSocket {
    /// Bytes of messages per `sendmsg`; the acknowledgements of one chunk are read before the next is sent, so
    /// that they never overflow the receive buffer.
    static let batchBytes = 96 * 1024

    /// Sends `requests` several to a datagram (`nl_complete_msg` for sequence numbers and NLM_F_ACK, then one
    /// `nl_sendto` per chunk) and reads the acknowledgements (`nl_recv`), matched by sequence number.
    /// - Returns: per request, 0 or the negative libnl error code.
    ///
    /// The batch numbers its messages itself, from 2³⁰ up, so that libnl's own sequence numbers (which it
    /// checks on every later reply) are left as they were.
    func sendBatch(_ requests: [NetlinkRequest]) -> [Int32] {
        var results = [Int32](repeating: 0, count: requests.count)
        var sequence: UInt32 = 1 << 30
        var start = 0
        while start < requests.count {
            var buffer: [UInt8] = []
            var pending: [UInt32: Int] = [:]
            var end = start
            while end < requests.count && (buffer.isEmpty || buffer.count < Self.batchBytes) {
                guard let header = nlmsg_hdr(requests[end].handle) else {
                    results[end] = -NLE_NOMEM
                    end += 1
                    continue
                }
                header.pointee.nlmsg_seq = sequence
                sequence += 1
                nl_complete_msg(handle, requests[end].handle)
                let length = Int(header.pointee.nlmsg_len)
                pending[header.pointee.nlmsg_seq] = end
                buffer += UnsafeRawBufferPointer(start: UnsafeRawPointer(header), count: length)
                buffer += [UInt8](repeating: 0, count: (4 - length % 4) % 4)
                end += 1
            }
            let sent = buffer.withUnsafeMutableBytes { nl_sendto(handle, $0.baseAddress, $0.count) }
            if sent < 0 {
                for index in pending.values { results[index] = sent }
            } else {
                collectAcknowledgements(&pending, into: &results)
            }
            start = end
        }
        return results
    }

    private func collectAcknowledgements(_ pending: inout [UInt32: Int], into results: inout [Int32]) {
        while !pending.isEmpty {
            var peer = sockaddr_nl()
            var data: UnsafeMutablePointer<UInt8>?
            let received = nl_recv(handle, &peer, &data, nil)
            guard received > 0, let data else {
                for index in pending.values { results[index] = received < 0 ? received : -NLE_FAILURE }
                free(data)
                return
            }
            defer { free(data) }
            var remaining = received
            var header: UnsafeMutablePointer<nlmsghdr>? = UnsafeMutableRawPointer(data).assumingMemoryBound(to: nlmsghdr.self)
            while let current = header, nlmsg_ok(current, remaining) != 0 {
                if current.pointee.nlmsg_type == UInt16(NLMSG_ERROR), let payload = nlmsg_data(current) {
                    let error = payload.loadUnaligned(as: nlmsgerr.self)
                    if let index = pending.removeValue(forKey: error.msg.nlmsg_seq) {
                        results[index] = error.error == 0 ? 0 : -nl_syserr2nlerr(-error.error)
                    }
                }
                header = nlmsg_next(current, &remaining)
            }
        }
    }
}

/// Carries a Swift closure through libnl's `void *` callback argument.
private struct MessageSink {
    let body: (UnsafeMutablePointer<nlmsghdr>) -> Void
}

/// Runs code with the calling thread inside a named network namespace, then returns it to its own.
enum NetworkNamespace {
    static func run<T>(in name: String, _ body: () throws -> T) throws -> T {
        let target = open("/run/netns/\(name)", O_RDONLY | O_CLOEXEC)
        guard target >= 0 else {
            throw NetlinkError(operation: "open network namespace \(name)", code: NLE_OBJ_NOTFOUND,
                               libnlMessage: String(cString: strerror(errno)))
        }
        defer { close(target) }
        let own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard own >= 0 else {
            throw NetlinkError(operation: "open this thread's network namespace", code: NLE_FAILURE,
                               libnlMessage: String(cString: strerror(errno)))
        }
        defer { close(own) }
        guard cnl_enter_network_namespace(target) == 0 else {
            throw NetlinkError(operation: "enter network namespace \(name)", code: NLE_PERM,
                               libnlMessage: String(cString: strerror(errno)))
        }
        defer { _ = cnl_enter_network_namespace(own) }
        return try body()
    }
}
