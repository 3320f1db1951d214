import Testing
@_spi(Fuzzing) import TrafficControl

/// The tc dump decoders refuse malformed replies instead of reading past them (found by the netlink fuzzer).
struct NetlinkDecodingTests {
    /// An RTM_NEWQDISC message whose payload is `payload` (the 16-byte header's length covers exactly it).
    static func message(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(16 + payload.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + [0x24, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            + payload
    }

    @Test(arguments: [0, 1, 4, 19])
    func aReplyShorterThanItsTcmsgIsRefused(_ size: Int) {
        let bytes = Self.message([UInt8](repeating: 0xFF, count: size))
        #expect(TrafficControlMessageDecoding.qdisc(message: bytes) == nil)
        #expect(TrafficControlMessageDecoding.trafficClass(message: bytes) == nil)
        #expect(TrafficControlMessageDecoding.filter(message: bytes) == nil)
    }

    @Test func aWholeTcmsgWithItsKindStillDecodes() {
        // tcmsg: family 0, 3 pad bytes, ifindex 2, handle 0x74700000, parent TC_H_ROOT, info 0; TCA_KIND "pfifo".
        var payload: [UInt8] = [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0x70, 0x74, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
        payload += [10, 0, 1, 0] + Array("pfifo".utf8) + [0, 0, 0]
        let qdisc = TrafficControlMessageDecoding.qdisc(message: Self.message(payload))
        #expect(qdisc?.kind == "pfifo")
        #expect(qdisc?.interfaceIndex == 2)
        #expect(qdisc?.handle.major == 0x7470)
    }
}
