import Spectral
import SpectralCatalog

extension AuthoringDiagnostic {
    /// `[stage] message`, or `[stage] line:column: error: …` with the source excerpt and
    /// caret on continuation lines indented by `indent` spaces (so the caret stays under
    /// the excerpt wherever the first line starts).
    func labelled(indent: Int) -> String {
        "[\(stage)] " + (rendered ?? message).replacingNewlines(with: "\n" + String(repeating: " ", count: indent))
    }
}

extension String {
    func replacingNewlines(with separator: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: separator)
    }
}
