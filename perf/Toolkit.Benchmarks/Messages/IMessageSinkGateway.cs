namespace Toolkit.Benchmarks.Messages;

/// <summary>Never called: it exists so that the generator emits serializers for every `messages-5` shape.</summary>
[RpcGateway]
public interface IMessageSinkGateway
{
    void Ping(Ping ping);

    void Register(Registration registration);

    void Report(SlotReport report);

    void Draw(Draw draw);

    void Upload(Chunk chunk);
}
