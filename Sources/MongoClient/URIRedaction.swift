/// Removes the secrets of a connection string from a message about it: the password of the
/// user information (as written and percent-decoded) and the value of any option whose name
/// contains "password" (such as `tlsCertificateKeyFilePassword`).
func redactingSecrets(of uri: String, in message: String) -> String {
    var secrets: [String] = []
    if let schemeEnd = uri.firstRange(of: "://") {
        let rest = uri[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let password = String(userInfo[userInfo.index(after: colon)...])
                secrets.append(password)
                secrets.append(percentDecoded(password))
            }
            secrets.append(String(userInfo))  // also when the colon is missing or misplaced
        }
    }
    if let query = uri.firstIndex(of: "?") {
        for option in uri[uri.index(after: query)...].split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            let parts = option.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased().contains("password") {
                secrets.append(String(parts[1]))
                secrets.append(percentDecoded(String(parts[1])))
            }
        }
    }
    var result = message
    // Longest first, so a secret containing another is removed whole.
    for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
        result = result.replacing(secret, with: "<redacted>")
    }
    return result
}

private func percentDecoded(_ text: String) -> String {
    let utf8 = Array(text.utf8)
    var bytes: [UInt8] = []
    var index = 0
    while index < utf8.count {
        if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
           let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
            bytes.append(value)
            index += 3
        } else {
            bytes.append(utf8[index])
            index += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
