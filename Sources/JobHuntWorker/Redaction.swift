/// Keeps secrets out of logs, errors and help text.
public enum Redaction {
    /// `url` with the password of its user-info part (`scheme://user:password@host`) and the
    /// value of every query option whose name contains "password" (MongoDB's
    /// `tlsCertificateKeyFilePassword`) replaced by `***`. Other options (`tls=true`,
    /// `tlsCAFile=...`: paths, not secrets) are kept. Anything else is returned unchanged.
    public static func url(_ url: String) -> String {
        guard let query = url.firstIndex(of: "?") else { return userInfo(url) }
        let options = url[url.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { option in
            guard let equals = option.firstIndex(of: "="), option[..<equals].lowercased().contains("password") else { return String(option) }
            return option[...equals] + "***"
        }
        return userInfo(String(url[...query])) + options.joined(separator: "&")
    }

    /// `url` with the password of its user-info part replaced by `***`.
    private static func userInfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// A comma-separated list of URLs (`AMQP_URL` of a cluster), each redacted by `url(_:)`.
    /// A part without a scheme means the list was split inside a password (a raw comma in it):
    /// then nothing of the list is shown.
    public static func urlList(_ list: String) -> String {
        let parts = list.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return url(list) }
        guard parts.allSatisfy({ $0.contains("://") }) else { return "(a list of URLs that cannot be shown)" }
        return parts.map { url(String($0)) }.joined(separator: ",")
    }
}
