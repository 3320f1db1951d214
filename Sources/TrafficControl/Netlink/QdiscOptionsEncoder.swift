internal import CNetlink

/// Writes `TCA_OPTIONS` for the qdiscs and filters throttlectl installs.
enum QdiscOptionsEncoder {
    static func put(_ configuration: QdiscConfiguration, into request: NetlinkRequest) throws {
        switch configuration {
        case .tbf(let setting):
            // tc_tbf_qopt with the 32-bit rate capped, TCA_TBF_BURST (so the kernel keeps the burst in bytes,
            // not a back-computation from rounded ticks), and TCA_TBF_RATE64 when the rate needs it.
            var options = tc_tbf_qopt()
            options.rate = ratespec(setting.rate)
            options.limit = setting.limit
            options.buffer = setting.bufferTicks
            try request.nest(UInt16(TCA_OPTIONS)) {
                try request.put(UInt16(TCA_TBF_PARMS), value: options)
                try request.put(UInt16(TCA_TBF_BURST), value: setting.burst)
                if setting.rate >= 1 << 32 { try request.put(UInt16(TCA_TBF_RATE64), value: setting.rate) }
            }
        case .ingress, .clsact:
            break
        case .recorded(_, let options):
            if !options.isEmpty { try request.put(UInt16(TCA_OPTIONS), bytes: options) }
        }
    }

    /// A rate spec as tc sends it: Ethernet link layer (so the kernel needs no rate table), the rate capped to
    /// 32 bits.
    static func ratespec(_ bytesPerSecond: UInt64) -> tc_ratespec {
        var spec = tc_ratespec()
        spec.rate = bytesPerSecond >= 1 << 32 ? UInt32.max : UInt32(bytesPerSecond)
        spec.linklayer = UInt8(TC_LINKLAYER_ETHERNET.rawValue)
        spec.cell_align = -1
        return spec
    }

    /// u32 "match u32 0 0" (every packet) with one mirred egress redirect to `target`.
    static func putRedirect(to target: Int32, into request: NetlinkRequest) throws {
        // struct tc_u32_sel (16 bytes) followed by one struct tc_u32_key (16 bytes), all zero but the flags
        // (TC_U32_TERMINAL) and the key count.
        var selector = [UInt8](repeating: 0, count: 32)
        selector[0] = UInt8(TC_U32_TERMINAL)
        selector[2] = 1
        try request.nest(UInt16(TCA_OPTIONS)) {
            try request.put(UInt16(TCA_U32_SEL), bytes: selector)
            try putMirred(to: target, into: request)
        }
    }

    /// `TCA_U32_ACT` with one mirred egress redirect to the device with index `target` (as tc sends
    /// `action mirred egress redirect dev …`).
    static func putMirred(to target: Int32, into request: NetlinkRequest) throws {
        var mirred = tc_mirred()
        mirred.action = TC_ACT_STOLEN
        mirred.eaction = TCA_EGRESS_REDIR
        mirred.ifindex = UInt32(bitPattern: target)
        try request.nest(UInt16(TCA_U32_ACT)) {
            try request.nest(1) {
                try request.put(UInt16(TCA_ACT_KIND), string: "mirred")
                try request.nest(UInt16(TCA_ACT_OPTIONS)) {
                    try request.put(UInt16(TCA_MIRRED_PARMS), value: mirred)
                }
            }
        }
    }
}
