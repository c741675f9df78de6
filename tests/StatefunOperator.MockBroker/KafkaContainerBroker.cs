using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.MockBroker;

/// <summary>
/// Serves a real Kafka container (<see cref="KafkaContainerFactory"/>) until <c>stop</c>: starts it, prints
/// "kind: container" and "bootstrap: ..." and writes the bootstrap file, then stops and removes the container.
/// If this process is killed instead, Testcontainers' resource reaper removes the container.
/// </summary>
internal static class KafkaContainerBroker
{
    public static async Task<int> RunAsync(string? bootstrapFile, CancellationToken stop)
    {
        Console.WriteLine($"starting a Kafka container ({KafkaContainerFactory.Image}) through the Docker engine; the first start pulls the image");
        Console.Out.Flush();
        Testcontainers.Kafka.KafkaContainer container;
        try
        {
            container = KafkaContainerFactory.Create();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or DotNet.Testcontainers.Builders.DockerUnavailableException)
        {
            await Console.Error.WriteLineAsync($"cannot start a Kafka container: {exception.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (container.ConfigureAwait(false))
        {
            try
            {
                await container.StartAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (Exception exception)
            {
                await Console.Error.WriteLineAsync($"the Kafka container did not start: {exception.Message}").ConfigureAwait(false);
                return 1;
            }

            BrokerAnnouncement.Write(bootstrapFile, container.GetBootstrapAddress(), "container");
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("stopping the Kafka container");
            return 0;
        }
    }
}
