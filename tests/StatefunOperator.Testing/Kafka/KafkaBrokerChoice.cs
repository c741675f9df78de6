using System.Net.Sockets;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// Chooses the tests' brokers. Every test: <c>KAFKA_BOOTSTRAP_SERVERS</c> if set; else Testcontainers.Kafka when a
/// Docker engine answers; else the local mock broker. The real-broker tests (<see cref="RealBrokerFactAttribute"/>):
/// the same where that is a real Kafka; else a kfake binary where one is found (<see cref="KafkaOracle"/>); else
/// none, and they are counted aloud as not run. <c>STATEFUN_KAFKA_IS_MOCK=true</c> says that
/// <c>KAFKA_BOOTSTRAP_SERVERS</c> itself points at a mock broker (as <c>make run</c>'s does on the mock).
/// </summary>
public static class KafkaBrokerChoice
{
    public const string BootstrapVariable = "KAFKA_BOOTSTRAP_SERVERS";
    public const string IsMockVariable = "STATEFUN_KAFKA_IS_MOCK";
    private static readonly Lazy<KafkaBrokerKind> Choice = new(DecideNow);
    private static readonly Lazy<KafkaBrokerKind?> RealChoice = new(DecideRealNow);

    /// <summary>The broker of the tests that run on any broker.</summary>
    public static KafkaBrokerKind Decide() => Choice.Value;

    /// <summary>The broker with real transactions the real-broker tests run on, or null where none can be had.</summary>
    public static KafkaBrokerKind? DecideReal() => RealChoice.Value;

    public static bool ExternalIsMock =>
        string.Equals(Environment.GetEnvironmentVariable(IsMockVariable), "true", StringComparison.OrdinalIgnoreCase);

    private static KafkaBrokerKind DecideNow()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(BootstrapVariable)))
        {
            return ExternalIsMock ? KafkaBrokerKind.LocalMock : KafkaBrokerKind.External;
        }

        return DockerEngineAnswers() ? KafkaBrokerKind.Testcontainers : KafkaBrokerKind.LocalMock;
    }

    private static KafkaBrokerKind? DecideRealNow() => Decide() switch
    {
        KafkaBrokerKind.LocalMock => KafkaOracle.Find().Path is null ? null : KafkaBrokerKind.KafkaOracle,
        var real => real,
    };

    /// <summary>True when a Docker engine answers on DOCKER_HOST or /var/run/docker.sock (a TCP or SSH host is assumed to).</summary>
    public static bool DockerEngineAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socketPath = host is { Length: > 0 } && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";
        if (host is { Length: > 0 } && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            // A TCP or SSH engine: let Testcontainers try it.
            return true;
        }

        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
