using Microsoft.Extensions.Logging;

namespace Lottery.Delivery;

internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Courier of {Partner}: a turn failed; its entries stay pending")]
    public static partial void LogCourierTurnFailed(this ILogger logger, Exception exception, string partner);
}
