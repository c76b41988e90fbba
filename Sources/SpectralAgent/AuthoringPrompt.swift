import Spectral
import SpectralCatalog

/// The conversation the agent has with the model: a system message that teaches the
/// language from Spectral's own grammar, semantics notes and function signatures (so
/// the model learns exactly the dialect that will check its answer), the task, and, after
/// a failed round, the exact diagnostics.
enum AuthoringPrompt {
    static func system() -> String {
        """
        You write predicates for Spectral, a decision engine. A predicate is one expression \
        in Spectral's dialect of CEL (Google's Common Expression Language), evaluated against \
        declared inputs. It must be deterministic, side-effect free, and as simple as the intent allows.

        Answer with the expression alone, in a single ```cel fenced block. No explanation, no \
        variable assignments, no comments outside the expression.

        # The grammar (normative)

        \(EmbeddedGrammar.ebnf)

        # Semantics

        \(EmbeddedGrammar.semantics)

        # Functions (receiver-style overloads are written `receiver.function(...)`)

        \(FunctionCatalogue.text)
        """
    }

    static func task(_ task: AuthoringTask) -> String {
        var text = """
        Write the predicate `\(task.name)`.

        Intent: \(task.intent)

        Declared inputs (every one should influence the decision):

        """
        var hasSchema = false
        for (name, type) in task.declarations.sorted(by: { $0.key < $1.key }) {
            if InputDeclaration.isSchema(type), let schema = try? InputDeclaration.parse(type).schema {
                hasSchema = true
                text += "- \(SchemaOutline.name(name)): \(SchemaOutline.summary(schema)), declared by JSON Schema\n"
                text += SchemaOutline.render(schema)
            } else {
                text += "- `\(name)`: \(type)\n"
            }
        }
        if hasSchema {
            text += """

            Inputs declared by JSON Schema are checked: reading a field the schema does not declare \
            is an error, unless it allows other fields. A required field is always present: read it directly, without has(). An \
            optional field may be absent: read it only behind has(), as in `has(x.f) && x.f > 0`.

            """
        }
        if !task.examples.isEmpty {
            text += "\nExamples (input → the decision the expression must produce):\n\n"
            text += examplesList(task.examples)
        }
        text += "\nAnswer with the expression alone, in a ```cel block."
        return text
    }

    /// After a failed round: what was wrong, exactly as Spectral reported it.
    static func feedback(_ findings: [AuthoringDiagnostic], examples: [PredicateTest]) -> String {
        var text = "That expression is not acceptable yet. Spectral reported:\n\n"
        for (index, finding) in findings.enumerated() {
            let number = "\(index + 1). "
            text += number + finding.labelled(indent: number.count) + "\n"
        }
        if findings.contains(where: { $0.stage == "test" }), !examples.isEmpty {
            text += "\nThe examples, numbered as the tests above:\n\n" + examplesList(examples)
        }
        text += "\nFix every problem and answer with the corrected expression alone, in a ```cel block."
        return text
    }

    /// A follow-up message from the task's owner: the next version of the predicate.
    static func followUp(_ text: String, current expression: String?) -> String {
        var prompt = "The owner of this predicate asks for a change:\n\n" + text + "\n\n"
        if let expression { prompt += "The current expression is:\n\n```cel\n\(expression)\n```\n\n" }
        prompt += "Every example must still pass unless the request contradicts it. Answer with the complete new expression alone, in a ```cel block."
        return prompt
    }

    private static func examplesList(_ examples: [PredicateTest]) -> String {
        examples.enumerated().map { index, example in
            let label = example.name.map { " (\($0))" } ?? ""
            return "\(index + 1).\(label) \(example.input.serialized()) → \(example.expect.serialized())\n"
        }.joined()
    }
}
