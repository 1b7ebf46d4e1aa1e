import ArgumentParser

/// A failure at run time (exit 1) with a message for the operator, and no stack trace.
struct RuntimeFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
