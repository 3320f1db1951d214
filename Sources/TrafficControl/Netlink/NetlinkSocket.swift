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
    /// The sequence numbers of dump requests: apart from libnl's (which count up from the time the socket
    /// was made) and from ``sendBatch(_:)``'s (from 2³⁰).
    static let dumpSequences: ClosedRange<UInt32> = 0xC000_0000...0xFFFF_FFFE
    private var dumpSequence = dumpSequences.upperBound

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

    /// Sends a dump request (`NLM_F_DUMP`, one `nl_sendto`) and hands every reply message to `body`, read with
    /// `nl_recv` straight from the receive buffer.
    ///
    /// `nl_recvmsgs` copies every message into a message object of its own before its callback sees it; a
    /// dump of 12,000 u32 nodes is read here without those copies. The rules are `nl_recvmsgs`'s: the replies
    /// carry the request's sequence number, an error message ends the dump with its error, `NLMSG_DONE` ends
    /// a multipart reply, and a dump the kernel marks interrupted (`NLM_F_DUMP_INTR`) fails once read to the
    /// end. The request is numbered from its own range (as ``sendBatch(_:)`` does), so that libnl's sequence
    /// numbers are left as they were.
    func dump(type: Int32, header: UnsafeRawBufferPointer, operation: String,
              _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) throws {
        dumpSequence = dumpSequence == Self.dumpSequences.upperBound ? Self.dumpSequences.lowerBound : dumpSequence + 1
        let sequence = dumpSequence
        let headerSize = MemoryLayout<nlmsghdr>.size
        var request = [UInt8](repeating: 0, count: headerSize + (header.count + 3) & ~3)
        request.withUnsafeMutableBytes { buffer in
            var message = nlmsghdr()
            message.nlmsg_len = UInt32(headerSize + header.count)
            message.nlmsg_type = UInt16(type)
            message.nlmsg_flags = UInt16(cnl_flag_request() | cnl_flag_dump())
            message.nlmsg_seq = sequence
            message.nlmsg_pid = nl_socket_get_local_port(handle)
            buffer.storeBytes(of: message, as: nlmsghdr.self)
            UnsafeMutableRawBufferPointer(rebasing: buffer[headerSize...]).copyMemory(from: header)
        }
        let sent = request.withUnsafeMutableBytes {
            nl_sendto(handle, $0.baseAddress, MemoryLayout<nlmsghdr>.size + header.count)
        }
        guard sent >= 0 else { throw NetlinkError(operation: operation, result: sent) }
        var multipart = false
        var interrupted = false
        var failure: Int32 = 0
        repeat {
            var peer = sockaddr_nl()
            var data: UnsafeMutablePointer<UInt8>?
            let received = nl_recv(handle, &peer, &data, nil)
            defer { free(data) }
            guard received > 0, let data else {
                if received < 0 { failure = received }
                break
            }
            var remaining = received
            var header: UnsafeMutablePointer<nlmsghdr>? = UnsafeMutableRawPointer(data).assumingMemoryBound(to: nlmsghdr.self)
            while failure == 0, let current = header, nlmsg_ok(current, remaining) != 0 {
                let message = current.pointee
                if message.nlmsg_seq != sequence {
                    failure = -NLE_SEQ_MISMATCH
                    break
                }
                if Int32(message.nlmsg_flags) & NLM_F_MULTI != 0 { multipart = true }
                if Int32(message.nlmsg_flags) & NLM_F_DUMP_INTR != 0 { interrupted = true }
                switch Int32(message.nlmsg_type) {
                case NLMSG_DONE:
                    multipart = false
                case NLMSG_NOOP:
                    break
                case NLMSG_OVERRUN:
                    failure = -NLE_MSG_OVERFLOW
                case NLMSG_ERROR:
                    if Int(message.nlmsg_len) < headerSize + MemoryLayout<nlmsgerr>.size {
                        failure = -NLE_MSG_TRUNC
                    } else if let payload = nlmsg_data(current) {
                        let error = payload.loadUnaligned(as: nlmsgerr.self).error
                        if error != 0 { failure = -nl_syserr2nlerr(error) }
                    }
                default:
                    body(current)
                }
                header = nlmsg_next(current, &remaining)
            }
        } while failure == 0 && multipart
        if interrupted { failure = -NLE_DUMP_INTR }
        guard failure == 0 else { throw NetlinkError(operation: operation, result: failure) }
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
