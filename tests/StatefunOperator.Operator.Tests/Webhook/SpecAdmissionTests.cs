using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;
using StatefunOperator.Operator.Webhook;

namespace StatefunOperator.Operator.Tests.Webhook;

/// <summary>K5: the webhook's verdict is the module model's, in the status condition's words; what it never refuses.</summary>
public class SpecAdmissionTests
{
    private static readonly IReadOnlyList<string> All = [];

    [Fact]
    public void K5_ABadIngress_IsRefused_WithTheSameWordsAsItsStatusCondition()
    {
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };

        var verdict = SpecAdmission.Decide(Request("CREATE", KafkaIngress.Plural, ingress), All, NoStatefulSet);

        Assert.False(verdict.Allowed);
        var condition = KafkaIngressValidator.Validate(ingress, [], [TestResources.Endpoint("shop")]);
        Assert.Equal(condition.Message, verdict.Message);
        Assert.StartsWith("spec.startupPosition.date: ", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K5_ReferencesNotCreatedYet_AreNotRefused()
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings-not-yet");
        Assert.True(SpecAdmission.Decide(Request("CREATE", KafkaIngress.Plural, ingress), All, NoStatefulSet).Allowed);
    }

    [Fact]
    public void K5_MetadataOnlyUpdates_Deletes_AndUnwatchedNamespaces_AreNeverRefused()
    {
        var bad = TestResources.Ingress("shop", "users");
        bad.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };
        var labelled = KubernetesJson.Deserialize<KafkaIngress>(KubernetesJson.Serialize(bad));
        labelled.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        labelled.Metadata.Finalizers = ["statefun.dev/cleanup"];

        Assert.True(SpecAdmission.Decide(Request("UPDATE", KafkaIngress.Plural, labelled, bad), All, NoStatefulSet).Allowed);
        Assert.True(SpecAdmission.Decide(Request("DELETE", KafkaIngress.Plural, null, bad), All, NoStatefulSet).Allowed);
        Assert.True(SpecAdmission.Decide(Request("CREATE", KafkaIngress.Plural, bad), ["other"], NoStatefulSet).Allowed);
        Assert.False(SpecAdmission.Decide(Request("CREATE", KafkaIngress.Plural, bad), ["shop"], NoStatefulSet).Allowed);
    }

    [Fact]
    public void K5_PartitionsOfAnExistingHost_CannotChange()
    {
        var before = TestResources.Endpoint("shop");
        before.Status = new FunctionEndpointStatus { Partitions = 12 };
        var after = KubernetesJson.Deserialize<FunctionEndpoint>(KubernetesJson.Serialize(before));
        after.Spec.Partitions = 24;

        var verdict = SpecAdmission.Decide(Request("UPDATE", FunctionEndpoint.Plural, after, before), All, NoStatefulSet);

        Assert.False(verdict.Allowed);
        Assert.Equal(ValidationReasons.PartitionsImmutable, verdict.Reason);
        Assert.StartsWith("spec.partitions: cannot change from 12 to 24", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K5_StorageOfAnExistingStatefulSet_CannotChange_WithoutOne_ItCan()
    {
        var before = TestResources.Endpoint("shop");
        var after = KubernetesJson.Deserialize<FunctionEndpoint>(KubernetesJson.Serialize(before));
        after.Spec.Storage = new EndpointStorage { Size = "10Gi" };
        var statefulSet = new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "example-functions-host" }, Spec = new V1StatefulSetSpec() };

        var refused = SpecAdmission.Decide(Request("UPDATE", FunctionEndpoint.Plural, after, before), All, (_, _) => statefulSet);
        var allowed = SpecAdmission.Decide(Request("UPDATE", FunctionEndpoint.Plural, after, before), All, NoStatefulSet);

        Assert.Equal(ValidationReasons.StorageImmutable, refused.Reason);
        Assert.Contains("--cascade=orphan", refused.Message, StringComparison.Ordinal);
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public void K5_TheAdmissionReview_IsReadAndAnswered_OnTheWire()
    {
        var ingress = TestResources.Ingress("shop", "users");
        var review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"705ab4f5\","
            + "\"kind\":{\"group\":\"statefun.dev\",\"version\":\"v1alpha1\",\"kind\":\"KafkaIngress\"},"
            + "\"resource\":{\"group\":\"statefun.dev\",\"version\":\"v1alpha1\",\"resource\":\"kafkaingresses\"},"
            + "\"name\":\"users\",\"namespace\":\"shop\",\"operation\":\"CREATE\",\"object\":" + KubernetesJson.Serialize(ingress)
            + ",\"oldObject\":null,\"dryRun\":false}}";
        var body = Encoding.UTF8.GetBytes(review);

        var request = AdmissionReviewJson.ReadRequest(body);
        Assert.Equal(("705ab4f5", KafkaIngress.Plural, "CREATE", "shop", "users"), (request.Uid, request.Resource, request.Operation, request.Namespace, request.Name));
        Assert.Null(request.Previous);

        using var refused = JsonDocument.Parse(AdmissionReviewJson.WriteResponse("705ab4f5", new AdmissionVerdict(false, "spec.x: wrong", ValidationReasons.InvalidSpec)));
        var response = refused.RootElement.GetProperty("response");
        Assert.Equal("705ab4f5", response.GetProperty("uid").GetString());
        Assert.False(response.GetProperty("allowed").GetBoolean());
        Assert.Equal("spec.x: wrong", response.GetProperty("status").GetProperty("message").GetString());
        Assert.Equal(422, response.GetProperty("status").GetProperty("code").GetInt32());
    }

    private static V1StatefulSet? NoStatefulSet(string ns, string name) => null;

    private static AdmissionRequest Request(string operation, string plural, IKubernetesObject<V1ObjectMeta>? current, IKubernetesObject<V1ObjectMeta>? previous = null) =>
        new("uid", plural, operation, "shop", "users", Json(current), Json(previous));

    private static JsonElement? Json(object? resource) =>
        resource is null ? null : JsonDocument.Parse(KubernetesJson.Serialize(resource)).RootElement.Clone();
}
