import TokenBucket

/// `text` as one shell word, as every printed `tc`/`ip` line quotes names (``ShellWord``).
func quoted(_ text: String) -> String { ShellWord.quoted(text) }

/// tc's words for u32 tables and nodes (`tc filter add … u32 …`), as `tc -batch` reads them.
enum U32CommandLine {
    static func head(_ verb: String, _ spec: U32Spec) -> String {
        "tc filter \(verb) dev \(quoted(spec.device)) \(spec.hook.rawValue) protocol \(spec.protocolName) prio \(spec.priority)"
    }

    static func hex(_ value: UInt32, width: Int = 8) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func add(_ spec: U32Spec) -> String {
        switch spec.object {
        case .table(let divisor):
            return head("add", spec) + " handle \(spec.handle) u32 divisor \(divisor)"
        case .node(let selector, let link, let redirect):
            let handle = spec.handle.table == 0 ? "::\(String(spec.handle.node, radix: 16))" : "\(spec.handle)"
            var words = head("add", spec) + " handle \(handle) u32"
            if spec.handle.table != 0 {
                words += " ht \(String(spec.handle.table, radix: 16)):\(String(UInt32(spec.handle.bucket), radix: 16)):"
            }
            for key in selector.keys {
                let at = key.offsetMask == -1 ? "nexthdr+\(key.offset)" : "\(key.offset)"
                words += " match u32 \(hex(key.value)) \(hex(key.mask)) at \(at)"
            }
            if let variable = selector.variableOffset {
                words += " offset at \(variable.at) mask \(hex(UInt32(variable.mask), width: 4)) shift \(variable.shift)"
            }
            if selector.hashMask != 0 {
                words += " hashkey mask \(hex(selector.hashMask)) at \(selector.hashOffset)"
            }
            if let link { words += " link \(String(link, radix: 16)):" }
            if let redirect { words += " action mirred egress redirect dev \(quoted(redirect))" }
            return words
        }
    }

    static func delete(_ spec: U32Spec) -> String {
        let handle = spec.kernelHandle ?? spec.handle
        let shown = handle.table == 0 ? "::\(String(handle.node, radix: 16))" : "\(handle)"
        return head("del", spec) + " handle \(shown) u32"
    }
}
