import Testing
import TestSupport

/// Every test that touches the kernel hangs under this suite, so that they run one at a time: namespaces,
/// qdiscs and above all traffic measurements must not overlap on a 2-core machine.
@Suite(.serialized, .enabled(if: KernelGate.enabled, KernelGate.reason))
enum KernelSuites {}
