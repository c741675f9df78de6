using System.Globalization;

namespace StatefunOperator.Module.Validation;

/// <summary>Collects <see cref="FieldProblem"/>s while a rule set walks one component.</summary>
internal sealed class ProblemCollector
{
    private readonly List<FieldProblem> _problems = [];

    public IReadOnlyList<FieldProblem> Problems => _problems;

    public void Add(string field, string message) => _problems.Add(new FieldProblem(field, message));

    public void Add(FormattableString field, string message) => Add(field.ToString(CultureInfo.InvariantCulture), message);

    /// <summary>Adds "is missing" (with a hint) when <paramref name="value"/> is null, "is empty" when it is blank; true when it has text.</summary>
    public bool Required(string field, string? value, string hint)
    {
        if (value is null)
        {
            Add(field, "is missing; " + hint);
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is empty; " + hint);
            return false;
        }

        return true;
    }

    public void Address(string field, string? address)
    {
        if (Required(field, address, $"expected the Kafka bootstrap servers, e.g. {Formats.KafkaAddress.Example}")
            && Formats.KafkaAddress.Problem(address!) is { } problem)
        {
            Add(field, problem);
        }
    }

    public void Topic(string field, string? topic)
    {
        if (topic is not null && !Formats.KafkaTopicName.IsValid(topic))
        {
            Add(field, $"'{topic}' is not a Kafka topic name ({Formats.KafkaTopicName.Rule})");
        }
    }

    public void Properties(string field, IReadOnlyList<KeyValuePair<string, string>> properties)
    {
        if (properties.Any(p => string.IsNullOrWhiteSpace(p.Key)))
        {
            Add(field, "has an empty property name");
        }
    }
}
