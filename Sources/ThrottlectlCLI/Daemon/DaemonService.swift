import Foundation
import ServiceLifecycle
import UnixSignals

/// The daemon as a swift-service-lifecycle `Service`: the engine runs on its own thread (it blocks in
/// poll(2)); SIGHUP becomes a reload request, and the group's graceful shutdown (SIGTERM, SIGINT) a stop
/// request, which the engine handles between passes, never in the middle of a write.
struct DaemonService: Service {
    let engine: DaemonEngine
    let control: DaemonControl
    /// Where the engine's exit status is left for `run` to exit with.
    let status: StatusBox

    func run() async throws {
        let control = self.control
        let engine = self.engine
        let status = self.status
        // Trapped before the engine starts, so that a SIGHUP sent once the daemon is ready is never fatal.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { control.request(.reload) }
                }
                group.addTask {
                    let code = await withCheckedContinuation { continuation in
                        let thread = Thread { continuation.resume(returning: engine.run()) }
                        thread.name = "throttlectl-run"
                        thread.start()
                    }
                    status.set(code)
                }
                // The engine's task ends first (on a stop request); the signal task then has nothing to do.
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            control.request(.stop)
        }
    }

    /// An exit status handed from the engine's thread to the command's.
    final class StatusBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int32?
        func set(_ code: Int32) {
            lock.lock()
            value = code
            lock.unlock()
        }
        var code: Int32? {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }
}
