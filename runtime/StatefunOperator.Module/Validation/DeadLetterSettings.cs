namespace StatefunOperator.Module.Validation;

/// <summary>A function host's dead-letter topic and how long a batch may fail before it goes there (see <see cref="Model.DeadLetterDefinition"/>).</summary>
public sealed record DeadLetterSettings(string Topic, TimeSpan After);
