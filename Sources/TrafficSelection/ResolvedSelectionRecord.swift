/// A resolved selection written to bytes and read back, so that a later run can skip reading and merging
/// the tag file (a 4 MB JSON file) when neither it nor the request changed.
///
/// The record carries the `key` it was made for (the caller's description of the tag file's identity and of
/// the request); ``decode(_:)`` gives it back, and the caller uses the record only when the key is its own.
/// The bytes end with a 64-bit FNV-1a checksum of everything before; a record that is truncated, altered, or
/// whose prefixes are not merged and sorted is refused (and the caller reads the tag file instead).
public struct ResolvedSelectionRecord: Sendable {
    /// What the record was made for (compared by the caller).
    public let key: String
    /// The tag file's path, cloud and change number, as reported.
    public let tagFilePath: String
    public let cloud: String
    public let changeNumber: String
    public let selection: TrafficSelection

    public init(key: String, tagFilePath: String, cloud: String, changeNumber: String, selection: TrafficSelection) {
        self.key = key
        self.tagFilePath = tagFilePath
        self.cloud = cloud
        self.changeNumber = changeNumber
        self.selection = selection
    }

    static let magic = Array("throttlectl-selection 1\n".utf8)

    /// Why a record cannot be used.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The record's bytes.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(256 + 18 * selection.remote.prefixes.count)
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        func put64(_ value: UInt64) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        func put(_ text: String) {
            put32(UInt32(text.utf8.count))
            out += text.utf8
        }
        put(key)
        put(tagFilePath)
        put(cloud)
        put(changeNumber)
        put32(UInt32(selection.tags.count))
        for tag in selection.tags {
            put(tag.name)
            put(tag.region)
            put(tag.systemService)
        }
        put32(UInt32(selection.countsBeforeMerging.ipv4))
        put32(UInt32(selection.countsBeforeMerging.ipv6))
        put32(UInt32(selection.ports.count))
        for port in selection.ports { put32(UInt32(port)) }
        put32(UInt32(selection.remote.prefixes.count))
        for prefix in selection.remote.prefixes {
            out.append(prefix.family == .ipv4 ? 4 : 6)
            out.append(UInt8(prefix.length))
            put64(prefix.address.high)
            put64(prefix.address.low)
        }
        put64(Self.checksum(out[...]))
        return out
    }

    /// Reads a record written by ``encoded()``.
    /// - Throws: ``Unreadable`` for anything but an intact record of this format.
    public static func decode(_ bytes: [UInt8]) throws(Unreadable) -> ResolvedSelectionRecord {
        guard bytes.count >= magic.count + 8, bytes[..<magic.count].elementsEqual(magic) else {
            throw Unreadable(reason: "not a selection record of this version")
        }
        let body = bytes[..<(bytes.count - 8)]
        var reader = Reader(bytes: bytes, at: bytes.count - 8)
        guard try reader.u64() == checksum(body) else { throw Unreadable(reason: "checksum mismatch") }
        reader = Reader(bytes: Array(body), at: magic.count)
        let key = try reader.string()
        let path = try reader.string()
        let cloud = try reader.string()
        let change = try reader.string()
        var tags: [ServiceTag] = []
        for _ in 0..<(try reader.count(atLeast: 12)) {
            tags.append(ServiceTag(name: try reader.string(), region: try reader.string(),
                                   systemService: try reader.string(), prefixes: [], nameOffset: 0))
        }
        let before = (ipv4: Int(try reader.u32()), ipv6: Int(try reader.u32()))
        var ports: [UInt16] = []
        for _ in 0..<(try reader.count(atLeast: 4)) {
            let port = try reader.u32()
            guard (1...65_535).contains(port), port > ports.last.map(UInt32.init) ?? 0 else {
                throw Unreadable(reason: "ports out of range or order")
            }
            ports.append(UInt16(port))
        }
        var prefixes: [IPPrefix] = []
        let count = try reader.count(atLeast: 18)
        prefixes.reserveCapacity(count)
        for _ in 0..<count {
            let family = try reader.byte()
            let length = Int(try reader.byte())
            let address = AddressBits(high: try reader.u64(), low: try reader.u64())
            guard family == 4 || family == 6 else { throw Unreadable(reason: "unknown address family") }
            let kind: AddressFamily = family == 4 ? .ipv4 : .ipv6
            guard length <= kind.bitWidth else { throw Unreadable(reason: "a prefix length out of range") }
            let prefix = IPPrefix(family: kind, address: address, length: length)
            guard prefix.address == address else {
                throw Unreadable(reason: "a malformed prefix")
            }
            prefixes.append(prefix)
        }
        guard reader.atEnd else { throw Unreadable(reason: "bytes after the prefixes") }
        let remote = PrefixSet(prefixes)
        guard remote.prefixes == prefixes, !prefixes.isEmpty else {
            throw Unreadable(reason: "the prefixes are not merged and sorted")
        }
        let selection = TrafficSelection(remote: remote, ports: ports, tags: tags, countsBeforeMerging: before)
        return ResolvedSelectionRecord(key: key, tagFilePath: path, cloud: cloud, changeNumber: change,
                                       selection: selection)
    }

    /// 64-bit FNV-1a.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private struct Reader {
        let bytes: [UInt8]
        var at: Int

        var atEnd: Bool { at == bytes.count }

        mutating func take(_ count: Int) throws(Unreadable) -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - at else { throw Unreadable(reason: "truncated") }
            defer { at += count }
            return bytes[at..<at + count]
        }

        mutating func byte() throws(Unreadable) -> UInt8 { try take(1).first! }

        mutating func u32() throws(Unreadable) -> UInt32 {
            try take(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func u64() throws(Unreadable) -> UInt64 {
            try take(8).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func string() throws(Unreadable) -> String {
            let length = Int(try u32())
            return String(decoding: try take(length), as: UTF8.self)
        }

        /// A count of items of at least `size` bytes each, checked against what is left.
        mutating func count(atLeast size: Int) throws(Unreadable) -> Int {
            let count = Int(try u32())
            guard count <= (bytes.count - at) / size else { throw Unreadable(reason: "truncated") }
            return count
        }
    }
}
