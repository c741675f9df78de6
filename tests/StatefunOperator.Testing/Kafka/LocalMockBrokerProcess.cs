using System.Diagnostics;
using System.Globalization;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// The mock broker (<c>statefun-mock-broker</c>) as a child process of the test run: started on
/// 127.0.0.1, told to exit with its parent, stopped by its PID. Topics are created through its
/// standard input.
/// </summary>
internal sealed class LocalMockBrokerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly SemaphoreSlim _commandLock = new(1, 1);

    private LocalMockBrokerProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static LocalMockBrokerProcess Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "statefun-mock-broker.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException(
                $"cannot start the local mock Kafka broker: {dll} is missing (the test project must reference tests/StatefunOperator.MockBroker)");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--parent-pid");
        start.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)
            ?? throw new InvalidOperationException("cannot start the local mock Kafka broker: 'dotnet' did not start");
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout).GetAwaiter().GetResult();
        if (line is not null && line.StartsWith("kind: ", StringComparison.Ordinal))
        {
            line = process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout).GetAwaiter().GetResult();
        }

        if (line is null || !line.StartsWith("bootstrap: ", StringComparison.Ordinal))
        {
            var error = process.StandardError.ReadToEnd();
            process.Kill();
            throw new InvalidOperationException(
                $"the local mock Kafka broker did not start: it printed '{line}' {error}");
        }

        return new LocalMockBrokerProcess(process, line["bootstrap: ".Length..].Trim());
    }

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        await _commandLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(
                string.Create(CultureInfo.InvariantCulture, $"create-topic {topic} {partitions}")).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            var answer = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (answer != "ok")
            {
                throw new InvalidOperationException($"mock broker could not create topic '{topic}': {answer}");
            }
        }
        finally
        {
            _commandLock.Release();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _commandLock.Dispose();
    }
}
