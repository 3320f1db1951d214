import Foundation
import TrafficControl

/// Fault injection for the kernel tests, compiled into debug builds only (`#if DEBUG`): a release build
/// ignores these variables entirely. Steps count every kernel write of the run from 1, rollback included.
///
/// - `THROTTLECTL_TEST_KILL_AFTER_STEP=N`: SIGKILL this process right after write N succeeded.
/// - `THROTTLECTL_TEST_FAIL_AT_STEP=N`: write N fails (an injected netlink error) without being performed.
/// - `THROTTLECTL_TEST_PAUSE_AT_STEP=N` with `THROTTLECTL_TEST_PAUSE_FILE=PATH`: before write N, create
///   `PATH.paused` and wait (up to 30 s) until `PATH` exists.
enum TestHooks {
    static func writer(_ real: TrafficControlWriter) -> TrafficControlWriter {
        #if DEBUG
            let environment = ProcessInfo.processInfo.environment
            let number = { (key: String) in environment[key].flatMap { Int($0) } }
            let kill = number("THROTTLECTL_TEST_KILL_AFTER_STEP")
            let fail = number("THROTTLECTL_TEST_FAIL_AT_STEP")
            let pause = number("THROTTLECTL_TEST_PAUSE_AT_STEP")
            guard kill != nil || fail != nil || pause != nil else { return real }
            return FaultInjectingWriter(real: real, killAfter: kill, failAt: fail, pauseAt: pause,
                                        pauseFile: environment["THROTTLECTL_TEST_PAUSE_FILE"])
        #else
            return real
        #endif
    }
}

#if DEBUG
    final class FaultInjectingWriter: TrafficControlWriter {
        let real: TrafficControlWriter
        let killAfter: Int?
        let failAt: Int?
        let pauseAt: Int?
        let pauseFile: String?
        private var step = 0

        init(real: TrafficControlWriter, killAfter: Int?, failAt: Int?, pauseAt: Int?, pauseFile: String?) {
            self.real = real
            self.killAfter = killAfter
            self.failAt = failAt
            self.pauseAt = pauseAt
            self.pauseFile = pauseFile
        }

        func perform(_ operation: TrafficControlOperation) throws {
            step += 1
            if step == pauseAt, let pauseFile {
                _ = FileManager.default.createFile(atPath: pauseFile + ".paused", contents: nil)
                for _ in 0..<3000 where !FileManager.default.fileExists(atPath: pauseFile) {
                    Syscalls.pause(milliseconds: 10)
                }
            }
            if step == failAt {
                throw NetlinkError(operation: "\(operation) (injected failure at step \(step))", code: 1,
                                   libnlMessage: "injected by THROTTLECTL_TEST_FAIL_AT_STEP")
            }
            try real.perform(operation)
            if step == killAfter { Syscalls.killSelf() }
        }
    }
#endif
