namespace StatefunOperator.LocalRunner;

/// <summary>One Job's local state: the process of its current attempt (if any runs), and when the next may start (the backoff after a failed one).</summary>
internal sealed class LocalJobRun
{
    public LocalWorkload? Current { get; set; }

    public DateTime NotBefore { get; set; } = DateTime.MinValue;
}
