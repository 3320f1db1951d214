import FuzzSupport
import TrafficSelection

/// The service-tags reader (`ServiceTagFile.parse`, with its JSON reader) and the prefix parser, fed
/// arbitrary bytes. A file it accepts is merged and laid out as `apply` would; every prefix it read must
/// come back from its own text, and the u32 layout must classify each prefix's first address as selected.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServiceTags(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The first line alone, as a prefix typed on the command line (`--prefix`).
    let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
    if let prefix = try? IPPrefix(firstLine) { roundTrip(prefix, firstLine) }
    guard let file = try? ServiceTagFile.parse(bytes, path: "fuzz.json") else { return 0 }
    var all: [IPPrefix] = []
    for tag in file.tags {
        for prefix in tag.prefixes { roundTrip(prefix, tag.name) }
        all += tag.prefixes
        _ = file.suggestion(for: tag.name + "x")
    }
    let merged = PrefixSet(all)
    for family in AddressFamily.allCases {
        let prefixes = merged.prefixes(of: family)
        let layout = HashLayout(family: family, prefixes: prefixes)
        for prefix in prefixes where !layout.matches(prefix.address) {
            fatalError("HashLayout: \(prefix) is selected but its first address does not match")
        }
    }
    return 0
}

private func roundTrip(_ prefix: IPPrefix, _ source: String) {
    guard let again = try? IPPrefix(prefix.description), again == prefix else {
        fatalError("IPPrefix: \(prefix) (from \(String(reflecting: source))) does not read back from its own text")
    }
}

@_cdecl("FuzzServiceTags_main")
func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzServiceTags)
}
