using System.Globalization;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// A kfake broker of this test process, started by <c>scripts/kafka-oracle.sh start</c> on a free 127.0.0.1 port.
/// The script's watchdog stops it once this process is gone (even by SIGKILL); <see cref="Dispose"/> stops it by
/// its PID at the end of a run.
/// </summary>
internal sealed class KafkaOracleProcess : IDisposable
{
    private readonly int _pid;

    private KafkaOracleProcess(string bootstrapServers, int pid, string build, string log)
    {
        BootstrapServers = bootstrapServers;
        _pid = pid;
        Build = build;
        Log = log;
    }

    public string BootstrapServers { get; }

    /// <summary>Which kfake build, e.g. <c>kfake 9b1d94b9+5 (sha256 f50b2a28575a)</c>.</summary>
    public string Build { get; }

    public string Log { get; }

    public static KafkaOracleProcess Start()
    {
        IReadOnlyList<string> lines;
        try
        {
            lines = KafkaOracle.RunScript(
                TimeSpan.FromSeconds(60), "start", "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"the kfake broker for the real-broker tests did not start: {e.Message}", e);
        }

        string Field(string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..]
            ?? throw new InvalidOperationException($"scripts/kafka-oracle.sh start printed no '{name}:' line: {string.Join(" | ", lines)}");
        return new KafkaOracleProcess(Field("bootstrap"), int.Parse(Field("pid"), CultureInfo.InvariantCulture), Field("build"), Field("log"));
    }

    public void Dispose()
    {
        try
        {
            KafkaOracle.RunScript(TimeSpan.FromSeconds(30), "stop", _pid.ToString(CultureInfo.InvariantCulture));
        }
        catch (InvalidOperationException)
        {
            // The watchdog stops it when this process is gone.
        }
    }
}
