internal import CNetlink

/// The tc dump decoders fed one netlink message as bytes, for the fuzz harnesses in `Benchmarks/Fuzz`.
///
/// The bytes get the treatment libnl gives a received message before the valid-message callback runs:
/// `nl_recvmsgs` accepts it only when `nlmsg_ok` holds, and `nlmsg_convert` copies exactly `nlmsg_len`
/// bytes into a buffer of its own. The copy here is exactly that long, so that a decoder reading past the
/// message is caught by the address sanitizer instead of reading whatever follows.
@_spi(Fuzzing) public enum TrafficControlMessageDecoding {
    /// `TrafficControlMessages.qdisc` of one RTM_NEWQDISC message, or `nil` when libnl would not deliver it.
    public static func qdisc(message bytes: [UInt8]) -> KernelQdisc? {
        withReceivedMessage(bytes) { TrafficControlMessages.qdisc($0) } ?? nil
    }

    /// `TrafficControlMessages.trafficClass` of one RTM_NEWTCLASS message.
    public static func trafficClass(message bytes: [UInt8]) -> KernelClass? {
        withReceivedMessage(bytes) { TrafficControlMessages.trafficClass($0) } ?? nil
    }

    /// `TrafficControlMessages.filter` of one RTM_NEWTFILTER message.
    public static func filter(message bytes: [UInt8]) -> KernelFilter? {
        withReceivedMessage(bytes) { TrafficControlMessages.filter($0) } ?? nil
    }

    /// Runs `body` on a copy of the message that `nlmsg_ok` accepts, or returns `nil`.
    private static func withReceivedMessage<T>(
        _ bytes: [UInt8], _ body: (UnsafeMutablePointer<nlmsghdr>) -> T
    ) -> T? {
        let headerSize = MemoryLayout<nlmsghdr>.size
        guard bytes.count >= headerSize else { return nil }
        let length = bytes.withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) }
        guard length >= headerSize, length <= bytes.count else { return nil }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: MemoryLayout<nlmsghdr>.alignment)
        defer { copy.deallocate() }
        bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: length) }
        let header = copy.bindMemory(to: nlmsghdr.self, capacity: 1)
        guard nlmsg_ok(header, Int32(length)) != 0 else { return nil }
        return body(header)
    }
}
