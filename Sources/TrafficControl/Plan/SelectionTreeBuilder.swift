import TrafficSelection

/// Turns a family's ``HashLayout`` into u32 selectors for one hook (pure).
///
/// The remote address is the destination on egress (IPv4 offset 16, IPv6 24) and the source on ingress
/// (12 and 8). With ports, only TCP and UDP match: IPv4 reads the transport header after the header length
/// (a VAROFFSET link at the root; first fragments only), IPv6 at the fixed offset 40 when the next header is
/// TCP or UDP, so packets with extension headers are not selected.
enum SelectionTreeBuilder {
    static func addressOffset(_ family: AddressFamily, _ hook: ClsactHook) -> Int32 {
        switch (family, hook) {
        case (.ipv4, .egress): return 16
        case (.ipv4, .ingress): return 12
        case (.ipv6, .egress): return 24
        case (.ipv6, .ingress): return 8
        }
    }

    static func tree(layout: HashLayout, ports: [UInt16], hook: ClsactHook, target: String) -> SelectionTree {
        let family = layout.family
        let base = addressOffset(family, hook)
        var tree = SelectionTree(
            hook: hook, family: family, priority: Ownership.selectionPriority(family, hook: hook), target: target,
            rootNode: U32Selector(keys: [], terminal: false,
                                  variableOffset: family == .ipv4 && !ports.isEmpty ? .ipv4HeaderLength : nil),
            tables: [:], portNodes: portNodes(ports, family: family, hook: hook),
            tableIDs: Ownership.tableIDs(hook: hook, family: family))
        let leafTerminal = ports.isEmpty
        func leaves(_ prefixes: [IPPrefix]) -> [U32Selector] {
            prefixes.sorted().map { U32Selector(keys: keys(for: $0, base: base), terminal: leafTerminal) }
        }
        func link(to table: HashLayout.Table) -> U32Selector {
            let word = Int32(table.byteIndex / 4)
            let shift = UInt32(24 - 8 * (table.byteIndex % 4))
            return U32Selector(keys: [], terminal: false, hashMask: 0xFF << shift, hashOffset: Int16(base + 4 * word))
        }
        func add(_ bucket: HashLayout.Bucket, number: UInt8, to path: [UInt8], into table: inout SelectionTable) {
            var result = SelectionBucket(leaves: leaves(bucket.leaves), link: nil)
            if let child = bucket.child {
                let childPath = path + [number]
                result.link = (childPath, link(to: child))
                var childTable = SelectionTable(divisor: 256, buckets: [:])
                for (key, inner) in child.buckets { add(inner, number: key, to: childPath, into: &childTable) }
                tree.tables[childPath] = childTable
            }
            table.buckets[number] = result
        }
        var entry = SelectionTable(divisor: 1, buckets: [:])
        if layout.selectsEverything {
            entry.buckets[0] = SelectionBucket(leaves: [U32Selector(keys: [], terminal: leafTerminal)], link: nil)
        } else if let bucket = layout.entry {
            add(bucket, number: 0, to: [], into: &entry)
        }
        tree.tables[[]] = entry
        return tree
    }

    /// One key per 32-bit word the prefix fixes (a /0 has none: it matches every packet of the family).
    static func keys(for prefix: IPPrefix, base: Int32) -> [U32Key] {
        var result: [U32Key] = []
        let mask = AddressBits.mask(length: prefix.length)
        for word in 0..<(prefix.length + 31) / 32 {
            result.append(U32Key(mask: mask.word(word), value: prefix.address.word(word), offset: base + Int32(4 * word)))
        }
        return result
    }

    /// TCP and UDP to each remote port: the destination port on egress, the source port on ingress.
    static func portNodes(_ ports: [UInt16], family: AddressFamily, hook: ClsactHook) -> [U32Selector] {
        var nodes: [U32Selector] = []
        for port in ports {
            for proto: UInt32 in [6, 17] {
                let portKey = hook == .egress
                    ? (mask: UInt32(0x0000_FFFF), value: UInt32(port))
                    : (mask: UInt32(0xFFFF_0000), value: UInt32(port) << 16)
                var keys: [U32Key]
                switch family {
                case .ipv4:
                    keys = [U32Key(mask: 0x00FF_0000, value: proto << 16, offset: 8),
                            U32Key(mask: 0x0000_1FFF, value: 0, offset: 4),  // first fragment (or none)
                            U32Key(mask: portKey.mask, value: portKey.value, offset: 0, offsetMask: -1)]
                case .ipv6:
                    keys = [U32Key(mask: 0x0000_FF00, value: proto << 8, offset: 4),
                            U32Key(mask: portKey.mask, value: portKey.value, offset: 40)]
                }
                nodes.append(U32Selector(keys: keys, terminal: true))
            }
        }
        return nodes
    }
}
