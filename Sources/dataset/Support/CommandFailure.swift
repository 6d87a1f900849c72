import ArgumentParser
import Foundation

/// Prints `error: <message>` and returns exit status 1: for an input that cannot be used at
/// all, or an output that cannot be written (the arguments were fine).
func commandFailure(_ message: String) -> ExitCode {
    ReportLines.write("error: " + message)
    return ExitCode(1)
}

func commandFailure(_ error: any Error) -> ExitCode { commandFailure("\(error)") }
