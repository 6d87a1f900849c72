import Foundation

/// A process id that no process has any more: a child that has exited and been reaped, for
/// tests of what is done with temporaries an ended run left.
public func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}
