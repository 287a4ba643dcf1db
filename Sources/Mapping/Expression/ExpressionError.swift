/// An expression that cannot be parsed (at start-up) or evaluated (for one record).
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression's text.
    public var expression: String
    /// Character offset of the problem in the text, when it is a syntax error.
    public var offset: Int?
    public var message: String

    public init(expression: String, offset: Int? = nil, message: String) {
        self.expression = expression
        self.offset = offset
        self.message = message
    }

    public var description: String {
        offset.map { "\(message) (at character \($0 + 1) of \"\(expression)\")" } ?? message
    }
}
