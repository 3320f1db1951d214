internal import CNetlink

/// Decodes tc dump replies (RTM_NEWQDISC / RTM_NEWTCLASS) into Swift values.
enum TrafficControlMessages {
    /// The `tcmsg` header and the top-level attributes of one reply.
    static func parse(_ header: UnsafeMutablePointer<nlmsghdr>) -> (tcmsg, NetlinkAttributes)? {
        // A reply shorter than its `tcmsg` is malformed: reading the header would run past the message.
        guard nlmsg_datalen(header) >= Int32(MemoryLayout<tcmsg>.size), let payload = nlmsg_data(header) else {
            return nil
        }
        let message = payload.loadUnaligned(as: tcmsg.self)
        let attributes = NetlinkAttributes(
            start: nlmsg_attrdata(header, Int32(MemoryLayout<tcmsg>.size)),
            length: nlmsg_attrlen(header, Int32(MemoryLayout<tcmsg>.size)))
        return (message, attributes)
    }

    static func statistics(_ attributes: NetlinkAttributes) -> TrafficStatistics {
        var statistics = TrafficStatistics()
        guard let stats = attributes.nested(UInt16(TCA_STATS2)) else { return statistics }
        if let basic = stats.value(UInt16(TCA_STATS_BASIC), as: gnet_stats_basic.self) {
            statistics.bytes = basic.bytes
            statistics.packets = UInt64(basic.packets)
        }
        if let queue = stats.value(UInt16(TCA_STATS_QUEUE), as: gnet_stats_queue.self) {
            statistics.drops = queue.drops
            statistics.overlimits = queue.overlimits
            statistics.requeues = queue.requeues
            statistics.backlogBytes = queue.backlog
            statistics.queueLength = queue.qlen
        }
        return statistics
    }

    static func qdisc(_ header: UnsafeMutablePointer<nlmsghdr>) -> KernelQdisc? {
        guard let (message, attributes) = parse(header), let kind = attributes.string(UInt16(TCA_KIND)) else {
            return nil
        }
        let options = attributes.nested(UInt16(TCA_OPTIONS))
        var decoded = QdiscOptions.other
        switch kind {
        case "tbf":
            if let options, let qopt = options.value(UInt16(TCA_TBF_PARMS), as: tc_tbf_qopt.self) {
                let rate64 = options.uint64(UInt16(TCA_TBF_RATE64))
                let peak64 = options.uint64(UInt16(TCA_TBF_PRATE64))
                decoded = .tbf(TBFKernelOptions(
                    rate: rate64 ?? UInt64(qopt.rate.rate), peakRate: peak64 ?? UInt64(qopt.peakrate.rate),
                    limit: qopt.limit, bufferTicks: qopt.buffer, mtuTicks: qopt.mtu, hasRate64: rate64 != nil))
            }
        case "htb":
            if let options, let glob = options.value(UInt16(TCA_HTB_INIT), as: tc_htb_glob.self) {
                decoded = .htb(HTBQdiscKernelOptions(version: glob.version, r2q: glob.rate2quantum,
                                                     defaultClass: glob.defcls, directPackets: glob.direct_pkts))
            }
        case "pfifo", "bfifo":
            if let raw = attributes.payload(UInt16(TCA_OPTIONS)), raw.count >= 4 {
                decoded = .fifo(limit: raw.loadUnaligned(as: UInt32.self))
            }
        default:
            break
        }
        return KernelQdisc(
            interfaceIndex: message.tcm_ifindex, handle: TrafficControlHandle(rawValue: message.tcm_handle),
            parent: TrafficControlHandle(rawValue: message.tcm_parent), kind: kind, options: decoded,
            rawOptions: attributes[UInt16(TCA_OPTIONS)] ?? [], statistics: statistics(attributes))
    }

    static func filter(_ header: UnsafeMutablePointer<nlmsghdr>) -> KernelFilter? {
        guard let (message, attributes) = parse(header), let kind = attributes.string(UInt16(TCA_KIND)) else { return nil }
        var redirect: Int32?
        var hasSelector = false
        var u32: KernelU32?
        if kind == "u32", let options = attributes.nested(UInt16(TCA_OPTIONS)) {
            let selector = options.payload(UInt16(TCA_U32_SEL))
            hasSelector = selector != nil
            u32 = KernelU32(divisor: options.uint32(UInt16(TCA_U32_DIVISOR)),
                            selector: selector.flatMap(U32Encoding.selector),
                            link: options.uint32(UInt16(TCA_U32_LINK)).map { $0 >> 20 })
            if let actions = options.nested(UInt16(TCA_U32_ACT)) {
                for order in actions.types {
                    guard let action = actions.nested(order), action.string(UInt16(TCA_ACT_KIND)) == "mirred",
                        let parameters = action.nested(UInt16(TCA_ACT_OPTIONS)),
                        let mirred = parameters.value(UInt16(TCA_MIRRED_PARMS), as: tc_mirred.self)
                    else { continue }
                    redirect = Int32(bitPattern: mirred.ifindex)
                }
            }
        }
        return KernelFilter(
            interfaceIndex: message.tcm_ifindex, parent: TrafficControlHandle(rawValue: message.tcm_parent),
            handle: message.tcm_handle, priority: UInt16(message.tcm_info >> 16),
            ethertype: UInt16(bigEndian: UInt16(message.tcm_info & 0xFFFF)), kind: kind, redirectIndex: redirect,
            hasSelector: hasSelector, statistics: statistics(attributes), u32: u32)
    }

    static func trafficClass(_ header: UnsafeMutablePointer<nlmsghdr>) -> KernelClass? {
        guard let (message, attributes) = parse(header), let kind = attributes.string(UInt16(TCA_KIND)) else {
            return nil
        }
        var htb: HTBClassKernelOptions?
        if kind == "htb", let options = attributes.nested(UInt16(TCA_OPTIONS)),
            let opt = options.value(UInt16(TCA_HTB_PARMS), as: tc_htb_opt.self)
        {
            let rate64 = options.uint64(UInt16(TCA_HTB_RATE64))
            let ceil64 = options.uint64(UInt16(TCA_HTB_CEIL64))
            htb = HTBClassKernelOptions(
                rate: rate64 ?? UInt64(opt.rate.rate), ceil: ceil64 ?? UInt64(opt.ceil.rate), bufferTicks: opt.buffer,
                cbufferTicks: opt.cbuffer, quantum: opt.quantum, level: opt.level, prio: opt.prio,
                hasRate64: rate64 != nil, hasCeil64: ceil64 != nil)
        }
        return KernelClass(
            interfaceIndex: message.tcm_ifindex, handle: TrafficControlHandle(rawValue: message.tcm_handle),
            parent: TrafficControlHandle(rawValue: message.tcm_parent), kind: kind, htb: htb,
            statistics: statistics(attributes))
    }
}
