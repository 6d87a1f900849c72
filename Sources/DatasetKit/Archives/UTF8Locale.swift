#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libarchive calls with a UTF-8 character type on the calling thread only.
///
/// libarchive converts entry names through the C locale's charset. A process that never
/// called `setlocale` (any Swift program, by default) runs in the "C" locale, where a name
/// such as `crème_brûlée/1.jpg` cannot be converted: tar falls back to untagged bytes, zip
/// mangles it, and some paths of libarchive even crash. `uselocale` switches only this
/// thread, only for the call, so nothing else in the process is affected.
enum UTF8Locale {
    nonisolated(unsafe) private static let locale: locale_t? =
        newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) ?? newlocale(LC_CTYPE_MASK, "en_US.UTF-8", nil)

    /// False on systems without a UTF-8 locale: then only ASCII names are safe.
    static var isAvailable: Bool { locale != nil }

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        guard let locale else { return try body() }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return try body()
    }
}
