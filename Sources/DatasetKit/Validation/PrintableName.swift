/// A name read from untrusted input (an archive entry, a file name, a label), made safe to print
/// on a terminal or in a one-line message: control characters are escaped so a name cannot
/// break a line, fake another message or send escape sequences to the terminal.
///
/// `\n`, `\r` and `\t` become `\\n`, `\\r`, `\\t`; other C0 controls, DEL and the C1 controls
/// become `\xNN`. Everything else, including non-ASCII letters, is kept as it is.
///
/// The one escaping every text output uses: error descriptions (`Problem`, `FileError`,
/// `UntrustedPathError`) and the command line's report writer, which passes each whole line
/// through it. The result holds no control characters, so escaping twice changes nothing.
public func printableName(_ name: String) -> String {
    guard name.unicodeScalars.contains(where: isControl) else { return name }
    var out = ""
    out.reserveCapacity(name.utf8.count + 8)
    for scalar in name.unicodeScalars {
        guard isControl(scalar) else { out.unicodeScalars.append(scalar); continue }
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        }
    }
    return out
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
