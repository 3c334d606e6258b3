// VS Code's language models (vscode.lm) behind the core's LanguageModelPort: this file only swaps plain parts for
// VS Code's classes and an AbortSignal for a CancellationToken. Conversion and error mapping live in src/core/model.
import * as vscode from 'vscode';
import type {
  LanguageModelPort,
  LmChatModel,
  LmMessage,
  LmModelInfo,
  LmPart,
  LmResponsePart,
  LmTool,
} from '../core/model/languageModelChat';

export class VsCodeLanguageModels implements LanguageModelPort {
  /** VS Code's models came or went (an extension was installed, signed in or out). */
  get onDidChange(): vscode.Event<void> {
    return vscode.lm.onDidChangeChatModels;
  }

  async select(model: string): Promise<LmChatModel | undefined> {
    const byId = await vscode.lm.selectChatModels({ id: model });
    const chosen = byId[0] ?? (await vscode.lm.selectChatModels({ family: model }))[0];
    return chosen === undefined ? undefined : wrapModel(chosen);
  }

  async list(): Promise<LmModelInfo[]> {
    return (await vscode.lm.selectChatModels()).map(info);
  }
}

function info(chat: vscode.LanguageModelChat): LmModelInfo {
  return {
    id: chat.id,
    name: chat.name,
    vendor: chat.vendor,
    family: chat.family,
    maxInputTokens: chat.maxInputTokens,
  };
}

function wrapModel(chat: vscode.LanguageModelChat): LmChatModel {
  return {
    ...info(chat),
    countTokens: (text, signal) => withToken(signal, (token) => chat.countTokens(text, token)),
    sendRequest: async (messages, options, signal) => {
      const response = await withToken(signal, (token) =>
        chat.sendRequest(
          messages.map(toVsCodeMessage),
          { tools: options.tools.map(toVsCodeTool), justification: options.justification },
          token,
        ),
      );
      return fromVsCodeStream(response.stream);
    },
  };
}

/**
 * Runs `work` with a token that is cancelled when `signal` aborts. The token stays live after `work` settles: a
 * response keeps streaming after sendRequest resolved, and Stop must still reach it. The listener goes with the
 * signal, which belongs to one request.
 */
function withToken<T>(signal: AbortSignal, work: (token: vscode.CancellationToken) => Thenable<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return Promise.resolve(work(source.token));
}

function toVsCodeMessage(message: LmMessage): vscode.LanguageModelChatMessage {
  if (message.role === 'assistant')
    return vscode.LanguageModelChatMessage.Assistant(message.parts.flatMap(toAssistantPart));
  return vscode.LanguageModelChatMessage.User(message.parts.flatMap(toUserPart));
}

function toAssistantPart(part: LmPart): (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] {
  if (part.kind === 'text') return [new vscode.LanguageModelTextPart(part.value)];
  if (part.kind === 'toolCall') return [new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input)];
  return [];
}

function toUserPart(part: LmPart): (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[] {
  if (part.kind === 'text') return [new vscode.LanguageModelTextPart(part.value)];
  if (part.kind === 'toolResult')
    return [new vscode.LanguageModelToolResultPart(part.callId, [new vscode.LanguageModelTextPart(part.content)])];
  return [];
}

function toVsCodeTool(tool: LmTool): vscode.LanguageModelChatTool {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
}

async function* fromVsCodeStream(stream: AsyncIterable<unknown>): AsyncIterable<LmResponsePart> {
  for await (const part of stream) {
    if (part instanceof vscode.LanguageModelTextPart) yield { kind: 'text', value: part.value };
    else if (part instanceof vscode.LanguageModelToolCallPart)
      yield { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
    else yield { kind: 'other' };
  }
}
