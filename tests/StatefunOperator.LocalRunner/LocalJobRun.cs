namespace StatefunOperator.LocalRunner;

/// <summary>
/// One Job's local state: its uid (a Job created again under its name is another), the process of its current attempt
/// (if one runs or ended unreported), and when the next may start (the backoff after a failed one).
/// </summary>
internal sealed class LocalJobRun(string uid)
{
    public string Uid { get; } = uid;

    public LocalWorkload? Current { get; set; }

    public DateTime NotBefore { get; set; } = DateTime.MinValue;
}
