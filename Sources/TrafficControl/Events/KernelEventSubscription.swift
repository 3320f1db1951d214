import Foundation
internal import CNetlink

/// What a drain of the notification socket found.
public struct KernelEvents: Equatable, Sendable {
    /// RTM_NEWLINK / RTM_DELLINK notifications: an interface appeared, went, changed name or state.
    public var linkMessages = 0
    /// Qdisc, class and filter notifications (RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER).
    public var trafficControlMessages = 0
    /// True when the kernel dropped notifications (ENOBUFS): the state must be re-read in full.
    public var overflowed = false

    public init() {}

    /// True when anything at all arrived.
    public var isEmpty: Bool { linkMessages == 0 && trafficControlMessages == 0 && !overflowed }
}

/// A netlink route socket subscribed to the kernel's interface and traffic-control notifications
/// (`nl_socket_add_membership` for `RTNLGRP_LINK` and `RTNLGRP_TC`), non-blocking, for poll(2).
///
/// The daemon sleeps on ``fileDescriptor`` instead of polling the kernel: any change to an interface, a qdisc, a
/// class or a filter in the namespace makes it readable. Its own writes make it readable too; the daemon
/// tells them apart by reconciling (nothing to do after its own writes), never by trusting the message.
public final class KernelEventSubscription {
    private let socket: NetlinkSocket
    fileprivate var events = KernelEvents()

    /// Subscribes in the caller's network namespace, or in the named one.
    public init(namespace: String? = nil) throws {
        socket = try NetlinkSocket(namespace: namespace)
        nl_socket_disable_seq_check(socket.handle)
        for group in [cnl_group_link(), cnl_group_tc()] {
            let result = nl_socket_add_membership(socket.handle, group)
            guard result >= 0 else {
                throw NetlinkError(operation: "subscribe to netlink group \(group)", result: result)
            }
        }
        let nonblocking = nl_socket_set_nonblocking(socket.handle)
        guard nonblocking >= 0 else {
            throw NetlinkError(operation: "make the netlink socket non-blocking", result: nonblocking)
        }
        let callback: nl_recvmsg_msg_cb_t = { message, context in
            guard let message, let context, let header = nlmsg_hdr(message) else { return Int32(NL_OK.rawValue) }
            let subscription = Unmanaged<KernelEventSubscription>.fromOpaque(context).takeUnretainedValue()
            switch Int32(header.pointee.nlmsg_type) {
            case Int32(RTM_NEWLINK), Int32(RTM_DELLINK): subscription.events.linkMessages += 1
            default: subscription.events.trafficControlMessages += 1
            }
            return Int32(NL_OK.rawValue)
        }
        // The context is this object, which owns the socket: the callback cannot outlive it.
        _ = nl_socket_modify_cb(socket.handle, NL_CB_VALID, NL_CB_CUSTOM, callback,
                                Unmanaged.passUnretained(self).toOpaque())
    }

    /// The socket's descriptor, readable when notifications are waiting (`nl_socket_get_fd`).
    public var fileDescriptor: Int32 { nl_socket_get_fd(socket.handle) }

    /// Reads every waiting notification without blocking (`nl_recvmsgs_default` until the socket is empty).
    public func drain() -> KernelEvents {
        events = KernelEvents()
        // Bounded: a storm of notifications is summarized, never read forever.
        for _ in 0..<100_000 {
            let before = events
            let result = nl_recvmsgs_default(socket.handle)
            if result < 0 {
                // ENOBUFS (libnl: out of memory) means notifications were lost; anything else ends the drain.
                if result == -NLE_NOMEM { events.overflowed = true; continue }
                break
            }
            if events == before { break }
        }
        return events
    }
}
