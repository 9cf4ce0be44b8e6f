/** Every avatarUrl of a view: GET /avatars/:userId with the version of the image. */
export const AVATAR_URL = /^\/api\/v1\/avatars\/[0-9a-f]{24}\?v=[0-9a-f]{16}$/;
