/**
 * The contract between a chat session and a user interface, below both: what the user asks for
 * ({@link crumbhub.client.model.UserAction}), what the session reports
 * ({@link crumbhub.client.model.UiEvent}) and the values they carry. The session layer
 * ({@code chat}) implements {@link crumbhub.client.model.ChatModel}; the terminal UI ({@code tui})
 * implements {@link crumbhub.client.model.ChatView}. Nothing here imports either of them.
 */
package crumbhub.client.model;
