using System.Runtime.InteropServices;
using System.Text;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: a Kafka protocol server on 127.0.0.1 (ephemeral ports)
/// with real produce/fetch, consumer groups and committed offsets. It lacks offsets-for-times,
/// read_committed filtering and transactional offset commits; tests that need those are
/// <see cref="RealBrokerFactAttribute"/> tests.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const int ProducerType = 0;
    private readonly IntPtr _client;
    private readonly IntPtr _cluster;
    private bool _disposed;

    private MockKafkaCluster(IntPtr client, IntPtr cluster, string bootstrapServers)
    {
        _client = client;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; private set; }

    /// <summary>
    /// Makes the metadata name <paramref name="host"/> instead of 127.0.0.1 for every broker (ids 1..N, ports
    /// unchanged), so that clients elsewhere (pods of a test node) can reach the cluster through a forwarder on
    /// that host. The listeners stay on 127.0.0.1: the caller forwards <paramref name="host"/>:port to them.
    /// Returns the 127.0.0.1 addresses the forwarders must reach.
    /// </summary>
    public IReadOnlyList<System.Net.IPEndPoint> Advertise(string host)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var listeners = BootstrapServers.Split(',')
            .Select(a => new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, int.Parse(a[(a.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        for (var i = 0; i < listeners.Count; i++)
        {
            var err = LibrdkafkaNative.MockBrokerSetHostPort(_cluster, i + 1, host, listeners[i].Port);
            if (err != 0)
            {
                var text = Marshal.PtrToStringUTF8(LibrdkafkaNative.ErrorToString(err));
                throw new InvalidOperationException($"advertising mock broker {i + 1} as {host} failed: {text}");
            }
        }

        BootstrapServers = string.Join(',', listeners.Select(l => $"{host}:{l.Port}"));
        return listeners;
    }

    public static MockKafkaCluster Start(int brokerCount)
    {
        LibrdkafkaNative.EnsureLoaded();
        var errstr = new byte[512];
        var conf = LibrdkafkaNative.ConfNew();
        // The hosting client never talks to anyone; keep it quiet.
        LibrdkafkaNative.ConfSet(conf, "log_level", "3", errstr, (UIntPtr)errstr.Length);
        var client = LibrdkafkaNative.KafkaNew(ProducerType, conf, errstr, (UIntPtr)errstr.Length);
        if (client == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + Decode(errstr));
        }

        var cluster = LibrdkafkaNative.MockClusterNew(client, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            LibrdkafkaNative.KafkaDestroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        var bootstraps = Marshal.PtrToStringUTF8(LibrdkafkaNative.MockClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("the mock cluster has no bootstrap address");
        return new MockKafkaCluster(client, cluster, bootstraps);
    }

    public void CreateTopic(string topic, int partitions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var err = LibrdkafkaNative.MockTopicCreate(_cluster, topic, partitions, 1);
        if (err != 0)
        {
            var text = Marshal.PtrToStringUTF8(LibrdkafkaNative.ErrorToString(err));
            throw new InvalidOperationException($"creating mock topic '{topic}' failed: {text}");
        }
    }

    /// <summary>
    /// Makes the cluster answer the next <paramref name="errors"/>.Length requests of one API
    /// (<paramref name="apiKey"/>, e.g. 22 InitProducerId) with these Kafka error codes, in order
    /// (librdkafka's <c>rd_kafka_mock_push_request_errors</c>).
    /// </summary>
    public void PushRequestErrors(short apiKey, params int[] errors)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(errors);
        LibrdkafkaNative.MockPushRequestErrorsArray(_cluster, apiKey, (UIntPtr)errors.Length, errors);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LibrdkafkaNative.MockClusterDestroy(_cluster);
        LibrdkafkaNative.KafkaDestroy(_client);
    }

    private static string Decode(byte[] errstr)
    {
        var length = Array.IndexOf(errstr, (byte)0);
        return Encoding.UTF8.GetString(errstr, 0, length < 0 ? errstr.Length : length);
    }
}
