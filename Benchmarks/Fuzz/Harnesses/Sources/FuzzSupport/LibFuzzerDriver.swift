#if canImport(Glibc)
    import Glibc
#endif

/// The signature of `LLVMFuzzerTestOneInput`.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ target: FuzzTarget
) -> CInt

/// Runs libFuzzer's command-line driver (`LLVMFuzzerRunDriver`) on `target`.
///
/// SwiftPM links an executable target with `--defsym main=<Target>_main`, so libFuzzer's own `main` is never
/// the entry point: each harness defines `<Target>_main` with `@_cdecl` and calls this.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ target: FuzzTarget
) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, target)
}

/// True when `THROTTLECTL_FUZZ_SKIP_KNOWN` is set (`fuzz.sh --skip-known`): harnesses then pass over the
/// inputs of the bugs already saved under `Benchmarks/Fuzz/Crashes/`, to look for others behind them.
/// Off by default, so that a plain run fails for as long as a known bug is there.
public let skipKnownBugs = getenv("THROTTLECTL_FUZZ_SKIP_KNOWN").map { String(cString: $0) == "1" } ?? false

/// True when `text` holds an ASCII digit with combining marks on it (`"0\u{301}"`): the known bug
/// `Crashes/iso8601/combining-mark-*`, where `Character.isASCIIDigit` accepts it and a force unwrap of
/// `Int(…)` or `Double(…)` traps.
public func hasDigitWithMarks(_ text: String) -> Bool {
    text.contains { character in
        character.unicodeScalars.count > 1 && ("0"..."9").contains(character.unicodeScalars.first!)
    }
}
