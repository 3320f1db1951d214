import FuzzSupport
@_spi(Fuzzing) import TrafficControl

/// The decoders of tc dump replies fed arbitrary bytes: the `tcmsg` header, the attribute walk
/// (`NetlinkAttributes`, nested attributes included) and the TBF, HTB, fifo, u32/mirred and `TCA_STATS2`
/// payloads. The input is the message after its 16-byte `nlmsghdr`; the harness writes a header whose
/// length covers exactly the input, as libnl guarantees before it hands a message to the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetlink(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Crashes/netlink/short-tcmsg: a message shorter than its 20-byte `tcmsg` is read past its end.
    if skipKnownBugs, size < 20 { return 0 }
    let length = UInt32(16 + size)
    var message: [UInt8] = withUnsafeBytes(of: length.littleEndian) { Array($0) }
    message += [0x24, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // RTM_NEWQDISC, NLM_F_MULTI, seq 0, port 0
    message += UnsafeBufferPointer(start: data, count: size)
    _ = TrafficControlMessageDecoding.qdisc(message: message)
    _ = TrafficControlMessageDecoding.trafficClass(message: message)
    _ = TrafficControlMessageDecoding.filter(message: message)
    return 0
}

@_cdecl("FuzzNetlink_main")
func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzNetlink)
}
