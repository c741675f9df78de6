using k8s.Models;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Controller;

public class ResourceCacheTests
{
    [Fact]
    public void Upsert_DropsManagedFieldsAndKubectlsLastApplied_KeepsTheOtherAnnotations()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>();
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }];
        ingress.Metadata.Annotations = new Dictionary<string, string>
        {
            [ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>.LastAppliedAnnotation] = "{\"spec\":{}}",
            ["team"] = "payments",
        };

        cache.Upsert(ingress);

        var cached = cache.Get("shop", "users")!;
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Equal(["team"], cached.Metadata.Annotations.Keys);
        Assert.Equal("my-group", cached.Spec.ConsumerGroupId);
    }

    [Fact]
    public void Upsert_WithOnlyTheLastAppliedAnnotation_LeavesNoAnnotations()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>();
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Metadata.Annotations = new Dictionary<string, string> { [ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>.LastAppliedAnnotation] = "{}" };

        cache.Upsert(ingress);

        Assert.Null(cache.Get("shop", "users")!.Metadata.Annotations);
    }

    [Fact]
    public void CachedDeployment_KeepsWhatStatusIsComputedFrom_NotItsPodTemplate()
    {
        var caches = new ResourceCaches();
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "users-runtime", NamespaceProperty = "shop", ResourceVersion = "7", Generation = 2, Labels = new Dictionary<string, string> { ["statefun.dev/ingress"] = "users" } },
            Spec = new V1DeploymentSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "users" } },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "runtime", Image = "statefun-runtime:1" }] } },
            },
            Status = new V1DeploymentStatus { ObservedGeneration = 2, AvailableReplicas = 3, UpdatedReplicas = 3, Replicas = 3 },
        };

        caches.Deployments.Upsert(deployment);

        var cached = caches.Deployments.Get("shop", "users-runtime")!;
        Assert.Null(cached.Spec.Template);
        Assert.Equal((3, "7", 2L, 3), (cached.Spec.Replicas, cached.Metadata.ResourceVersion, cached.Metadata.Generation, cached.Status.AvailableReplicas));
        Assert.Equal("users", cached.Metadata.Labels["statefun.dev/ingress"]);
    }

    /// <summary>
    /// S10: a host with storage stays valid after its StatefulSet is cached: the cache keeps the volumeClaimTemplates the
    /// storage refusal compares with (without them every reconcile after the first saw "no volume" and refused).
    /// </summary>
    [Fact]
    public void CachedStatefulSet_KeepsItsVolumeClaimTemplates_SoItsOwnStorageIsNoChange()
    {
        var endpoint = StatefunOperator.Operator.Tests.Support.TestResources.Endpoint("shop");
        endpoint.Spec.Storage = new StatefunOperator.Crds.Endpoints.EndpointStorage { Size = "256Mi", StorageClassName = "local" };
        var statefulSet = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "example-functions-host", NamespaceProperty = "shop", ResourceVersion = "3" },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "runtime" }] } },
                VolumeClaimTemplates = StatefunOperator.Operator.Desired.StateVolume.Claims(endpoint.Spec.Storage, new Dictionary<string, string>()),
            },
        };
        var caches = new ResourceCaches();

        caches.StatefulSets.Upsert(statefulSet);

        var cached = caches.StatefulSets.Get("shop", "example-functions-host")!;
        Assert.Null(cached.Spec.Template);
        Assert.Null(StatefunOperator.Operator.Desired.StateVolume.RefusalMessage(endpoint, cached));
    }

    [Fact]
    public void ListWithAMatch_GivesTheNamespacesMatches_ByName()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>();
        foreach (var (ns, name, group) in new[] { ("shop", "zeta", "g"), ("shop", "alpha", "g"), ("shop", "beta", "other"), ("bank", "aardvark", "g") })
        {
            var ingress = TestResources.Ingress(ns, name);
            ingress.Spec.ConsumerGroupId = group;
            cache.Upsert(ingress);
        }

        Assert.Equal(["alpha", "zeta"], cache.List("shop", i => i.Spec.ConsumerGroupId == "g").Select(i => i.Metadata.Name));
        Assert.Empty(cache.List("nowhere", _ => true));
    }

    [Fact]
    public void Holds_IsTrueOnlyForTheVeryResourceVersionCached()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>();
        var cached = TestResources.Ingress("shop", "users");
        cached.Metadata.ResourceVersion = "41";
        cache.Upsert(cached);

        StatefunOperator.Crds.Ingress.KafkaIngress Version(string? resourceVersion, string name = "users")
        {
            var ingress = TestResources.Ingress("shop", name);
            ingress.Metadata.ResourceVersion = resourceVersion;
            return ingress;
        }

        Assert.True(cache.Holds(Version("41")));
        Assert.False(cache.Holds(Version("42")));
        Assert.False(cache.Holds(Version("4")));
        Assert.False(cache.Holds(Version(null)));
        Assert.False(cache.Holds(Version("41", "orders")));
    }

    [Fact]
    public void ListIndexed_FollowsUpsertsAndRemovals_PerNamespace_ByName()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>(indexBy: i => i.Spec.ConsumerGroupId);
        StatefunOperator.Crds.Ingress.KafkaIngress Ingress(string ns, string name, string? group)
        {
            var ingress = TestResources.Ingress(ns, name);
            ingress.Spec.ConsumerGroupId = group!;
            return ingress;
        }

        cache.Upsert(Ingress("shop", "zeta", "g"));
        cache.Upsert(Ingress("shop", "alpha", "g"));
        cache.Upsert(Ingress("shop", "beta", "other"));
        cache.Upsert(Ingress("bank", "aardvark", "g"));
        cache.Upsert(Ingress("shop", "nogroup", null));

        Assert.Equal(["alpha", "zeta"], cache.ListIndexed("shop", "g").Select(i => i.Metadata.Name));
        Assert.Equal(["aardvark"], cache.ListIndexed("bank", "g").Select(i => i.Metadata.Name));
        Assert.Empty(cache.ListIndexed("shop", string.Empty));

        cache.Upsert(Ingress("shop", "zeta", "other")); // its group changed
        cache.Remove(Ingress("shop", "alpha", "g"));

        Assert.Empty(cache.ListIndexed("shop", "g"));
        Assert.Equal(["beta", "zeta"], cache.ListIndexed("shop", "other").Select(i => i.Metadata.Name));
        Assert.Equal("other", cache.ListIndexed("shop", "other")[1].Spec.ConsumerGroupId);
    }

    [Fact]
    public void ListIndexed_WithoutAnIndex_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>().ListIndexed("shop", "g"));

    [Fact]
    public void UpsertWritten_StoresAResponse_OnlyIfTheWatchDeliveredNothingSinceTheReconcileRead()
    {
        var cache = new ResourceCache<StatefunOperator.Crds.Ingress.KafkaIngress>();
        StatefunOperator.Crds.Ingress.KafkaIngress Version(string resourceVersion, string name = "users")
        {
            var ingress = TestResources.Ingress("shop", name);
            ingress.Metadata.ResourceVersion = resourceVersion;
            return ingress;
        }

        cache.Upsert(Version("5"));
        Assert.True(cache.UpsertWritten(Version("6"), "5")); // nothing newer seen: the response is the newest state
        Assert.Equal("6", cache.Get("shop", "users")!.Metadata.ResourceVersion);

        cache.Upsert(Version("8")); // the watch delivered the write's echo and a later change
        Assert.False(cache.UpsertWritten(Version("7"), "6"));
        Assert.Equal("8", cache.Get("shop", "users")!.Metadata.ResourceVersion);

        Assert.True(cache.UpsertWritten(Version("1", "orders"), null)); // created, and not seen yet
        Assert.False(cache.UpsertWritten(Version("2", "orders"), null)); // "created" again, but the watch had it already
        cache.Remove(Version("8"));
        Assert.False(cache.UpsertWritten(Version("9"), "8")); // deleted meanwhile: not brought back
        Assert.Null(cache.Get("shop", "users"));
    }
}
