namespace StatefunOperator.Module.Model;

/// <summary>
/// A function host's dead-letter topic (statefun-operator extension, key <c>host.deadLetter</c>): a batch of messages
/// whose calls keep failing for longer than <see cref="After"/> is written to <see cref="Topic"/> (on the host's
/// cluster, in the same commit as the rest of the host's work), and the address goes on with its next messages.
/// </summary>
public sealed record DeadLetterDefinition
{
    /// <summary>The topic, on the host's cluster.</summary>
    public string? Topic { get; init; }

    /// <summary>How long a batch may keep failing before it goes there (a StateFun duration, e.g. <c>5m</c>).</summary>
    public string? After { get; init; }
}
