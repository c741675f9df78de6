using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Hosting;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Hosting;

/// <summary>
/// The operator's JSON resolver has no reflection fallback (the native binary has none): every type the operator
/// sends or receives must resolve through the generated contexts, and write what the client's default writes.
/// </summary>
public class KubernetesJsonResolverTests
{
    private static readonly JsonSerializerOptions Generated = Options(generated: true);
    private static readonly JsonSerializerOptions Default = Options(generated: false);

    public static TheoryData<object> Objects() =>
    [
        WithStatus(TestResources.Ingress()),
        TestResources.Egress(),
        TestResources.Endpoint(),
        new CustomResourceList<KafkaIngress> { Metadata = new V1ListMeta { ResourceVersion = "42" }, Items = [WithStatus(TestResources.Ingress())] },
        new CustomResourceList<KafkaEgress> { Items = [TestResources.Egress()] },
        new CustomResourceList<FunctionEndpoint> { Items = [TestResources.Endpoint()] },
        new Dictionary<string, object>
        {
            ["apiVersion"] = "statefun.dev/v1alpha1",
            ["kind"] = "KafkaIngress",
            ["metadata"] = new Dictionary<string, string> { ["name"] = "users", ["namespace"] = "shop" },
            ["status"] = WithStatus(TestResources.Ingress()).Status!,
        },
        new Dictionary<string, object> { ["status"] = new Dictionary<string, object?> { ["lag"] = null } },
        new V1Deployment { Metadata = new V1ObjectMeta { Name = "d", Labels = new Dictionary<string, string> { ["a"] = "b" } }, Spec = new V1DeploymentSpec { Replicas = 2 } },
        new V1Patch(new Dictionary<string, object> { ["status"] = new Dictionary<string, object?> { ["lag"] = null } }, V1Patch.PatchType.MergePatch),
    ];

    [Theory]
    [MemberData(nameof(Objects))]
    public void EveryTypeTheOperatorWrites_ResolvesWithoutReflection_AndWritesWhatTheClientDefaultWrites(object value)
    {
        var generated = JsonSerializer.Serialize(value, value.GetType(), Generated);

        Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), Default), generated);
        if (value is V1Patch)
        {
            return; // the client only writes patches
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(generated), JsonNode.Parse(JsonSerializer.Serialize(JsonSerializer.Deserialize(generated, value.GetType(), Generated), value.GetType(), Generated))));
    }

    [Fact]
    public void WatchEvents_OfEveryWatchedKind_AreRead()
    {
        var deployment = JsonSerializer.Deserialize<Watcher<V1Deployment>.WatchEvent>(
            """{"type":"MODIFIED","object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","creationTimestamp":"2026-11-26T01:02:03Z"}}}""", Generated)!;
        var statefulSet = JsonSerializer.Deserialize<Watcher<V1StatefulSet>.WatchEvent>("""{"type":"ADDED","object":{"metadata":{"name":"s"}}}""", Generated)!;
        var secret = JsonSerializer.Deserialize<Watcher<V1Secret>.WatchEvent>("""{"type":"DELETED","object":{"metadata":{"name":"k"},"data":{"password":"cGFzcw=="}}}""", Generated)!;
        var custom = JsonSerializer.Deserialize<Watcher<object>.WatchEvent>("""{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}""", Generated)!;

        Assert.Equal((WatchEventType.Modified, "d"), (deployment.Type, deployment.Object.Metadata.Name));
        Assert.Equal(new DateTime(2026, 11, 26, 1, 2, 3, DateTimeKind.Utc), deployment.Object.Metadata.CreationTimestamp);
        Assert.Equal((WatchEventType.Added, "s"), (statefulSet.Type, statefulSet.Object.Metadata.Name));
        Assert.Equal((WatchEventType.Deleted, "pass"), (secret.Type, System.Text.Encoding.UTF8.GetString(secret.Object.Data["password"])));
        Assert.Equal(WatchEventType.Bookmark, custom.Type);
        Assert.IsType<JsonElement>(custom.Object);
    }

    [Fact]
    public void ATypeInNeitherContext_IsRefused_NotReflectedOver()
    {
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new NotInAnyContext(), Generated));
    }

    [Fact]
    public void OptionsAlreadyInUse_AreLeftAsTheyAre()
    {
        var options = Options(generated: false);
        _ = JsonSerializer.Serialize("frozen", options);

        Assert.False(KubernetesJsonResolver.Configure(options));
    }

    private static KafkaIngress WithStatus(KafkaIngress ingress)
    {
        ingress.Status = new KafkaIngressStatus
        {
            ObservedGeneration = 3,
            ConfigHash = "abc",
            Replicas = 2,
            Conditions = [new StatusCondition { Type = "Ready", Status = "True", LastTransitionTime = new DateTime(2026, 11, 26, 1, 2, 3, DateTimeKind.Utc), Reason = "Running", Message = "ok" }],
            Lag = new ConsumerLagStatus { Total = 5, Partitions = 2, Pods = 1, WorstPartition = new PartitionLagStatus { Topic = "t", Partition = 1, Lag = 4 } },
        };
        return ingress;
    }

    /// <summary>The client's options (the same converters and naming), with the operator's resolver or the client's default.</summary>
    private static JsonSerializerOptions Options(bool generated)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        options.Converters.Add(new KubernetesJson.Iso8601TimeSpanConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.Converters.Add(new V1Status.V1StatusObjectViewConverter());
        if (generated)
        {
            Assert.True(KubernetesJsonResolver.Configure(options));
        }
        else
        {
            options.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(SourceGenerationContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver());
        }

        return options;
    }

    private sealed class NotInAnyContext
    {
        public int Value { get; set; }
    }
}
