using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// A function no one here wrote the runtime for: a greeter built with the official StateFun JavaScript
/// SDK (<c>apache-flink-statefun@3.3.0</c> from npm), invoked by the runtime program over the
/// request-reply protocol. Covers state (the per-user count), per-user order and the SDK's Kafka egress record.
/// The same journey runs with the greeter written with this project's C# SDK, served by ASP.NET Core.
/// </summary>
public sealed class SdkCompatibilityTests
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave"];

    [Theory]
    [InlineData("js")]
    [InlineData("cs")]
    public async Task SdkGreeter_CountsPerUserInState_AndGreetsThroughTheKafkaEgress_InPerUserOrder(string sdk)
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName(sdk + "-names");
        var output = KafkaTestBroker.UniqueName(sdk + "-greetings");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(output, 1);
        using (var producer = broker.CreateProducer())
        {
            for (var round = 0; round < 3; round++)
            {
                for (var u = 0; u < Users.Length; u++)
                {
                    await producer.ProduceAsync(
                        new TopicPartition(input, u % 2),
                        new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(Users[u]), Value = Encoding.UTF8.GetBytes(Users[u].ToUpperInvariant()) });
                }
            }
        }

        var dir = TestScratch.Create($"{sdk}-");
        var log = Path.Combine(dir.FullName, "greeter.log");
        using IFunctionServer greeter = sdk == "js" ? await JsGreeter.StartAsync(output, log) : await CsGreeter.StartAsync(output, log);
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, ModuleYaml(broker.BootstrapServers, KafkaTestBroker.UniqueName(sdk), input, greeter.Port));

        using var runtime = RuntimeProcess.Start(module, Path.Combine(dir.FullName, "runtime.log"));
        var records = await ReadAsync(broker, output, 3 * Users.Length);

        var byUser = records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key)).ToDictionary(g => g.Key, g => g.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToArray());
        foreach (var user in Users)
        {
            var name = user.ToUpperInvariant();
            Assert.True(byUser.ContainsKey(user), $"no greeting for {user}; logs in {dir.FullName}");
            Assert.Equal([$"Hello {name}, seen 1 times", $"Hello {name}, seen 2 times", $"Hello {name}, seen 3 times"], byUser[user]);
        }

        Assert.Equal(3 * Users.Length, records.Count);
        Assert.False(runtime.HasExited, $"the runtime exited; logs in {dir.FullName}");
    }

    private static string ModuleYaml(string bootstrap, string group, string input, int port) =>
        GreeterModule.Yaml(bootstrap, group, input, "example", $"http://127.0.0.1:{port}/statefun", 100);

    private static Task<IReadOnlyList<ConsumeResult<byte[], byte[]>>> ReadAsync(KafkaTestBroker broker, string topic, int expected) =>
        TopicReader.ReadAsync(broker, topic, 1, expected, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1.5));
}
