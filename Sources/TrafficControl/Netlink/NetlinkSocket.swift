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
        _ = nl_socket_set_buffer_size(socket, 1 << 20, 1 << 20)
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
